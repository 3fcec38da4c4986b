//! The gap-closing network: a small U-Net of depthwise-separable blocks that works on 4×4
//! pixel blocks.
//!
//! Input `[batch, 1, h, w]` holds ink darkness (0 = paper, 1 = ink); output `[batch, 1, h, w]`
//! holds logits that a pixel is ink in the closed drawing; `h` and `w` must be multiples of
//! [`GapNetConfig::STRIDE`]. On the CPU every layer is bound by memory traffic, not arithmetic,
//! so the image is folded into 16 channels at quarter resolution (space-to-depth) before the
//! first layer and unfolded after the last: no layer runs at full resolution, yet the head still
//! sees every input pixel through a skip connection and predicts every output pixel.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Initializer, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};

/// Side of the pixel blocks folded into channels.
const BLOCK: usize = 4;
pub(super) const BLOCK_CHANNELS: usize = BLOCK * BLOCK;

/// Channel widths at 1/4, 1/8 and 1/16 resolution.
#[derive(Config, Debug)]
pub struct GapNetConfig {
    #[config(default = "[32, 64, 96]")]
    pub widths: [usize; 3],
}

impl GapNetConfig {
    /// Image sides must be multiples of this: the 4×4 fold, then two 2× downsamplings.
    pub const STRIDE: usize = BLOCK * 4;
    /// Widest level a network may have: far beyond anything fast enough to use, so a larger
    /// number is a typo or a corrupt file.
    pub const MAX_WIDTH: usize = 1024;

    /// Whether every level's width lies in `1..=MAX_WIDTH`.
    pub fn widths_are_valid(widths: &[usize; 3]) -> bool {
        widths.iter().all(|&w| (1..=Self::MAX_WIDTH).contains(&w))
    }

    pub fn init(&self, device: &Device) -> GapNet {
        let [c1, c2, c3] = self.widths;
        GapNet {
            stem: Pointwise::new(BLOCK_CHANNELS, c1, device),
            enc1: SeparableBlock::new(c1, c1, device),
            down2: Downsample::new(c1, c2, device),
            enc2: [SeparableBlock::new(c2, c2, device), SeparableBlock::new(c2, c2, device)],
            down3: Downsample::new(c2, c3, device),
            bottom: [SeparableBlock::new(c3, c3, device), SeparableBlock::new(c3, c3, device)],
            dec2: SeparableBlock::new(c3 + c2, c2, device),
            dec1: SeparableBlock::new(c2 + c1, c1, device),
            fuse: Pointwise::new(c1 + BLOCK_CHANNELS, c1, device),
            head: Pointwise::new(c1, BLOCK_CHANNELS, device),
        }
    }

    /// Pixels on each side of an output pixel that can influence it (an upper bound). Tiles
    /// need at least this margin for tiled inference to equal whole-image inference.
    pub fn receptive_radius(&self) -> usize {
        // A 3×3 conv at scale s (pixels per cell) reaches s pixels further; cells of the
        // coarsest scale add their own extent, less one pixel.
        let convs = 4 * (1 + 1) + 8 * (2 + 1) + 16 * 2;
        convs + 16 - 1
    }

    /// Multiply-accumulates per input pixel of one forward pass (convolutions only).
    pub fn macs_per_pixel(&self) -> f64 {
        let [c1, c2, c3] = self.widths.map(|c| c as f64);
        let block = BLOCK_CHANNELS as f64;
        let separable = |cin: f64, cout: f64| 9.0 * cin + cin * cout;
        let down = |cin: f64, cout: f64| 4.0 * cin + cin * cout;
        let quarter = block * c1 + separable(c1, c1) + separable(c2 + c1, c1) + (c1 + block) * c1 + c1 * block;
        let eighth = down(c1, c2) + 2.0 * separable(c2, c2) + separable(c3 + c2, c2);
        let sixteenth = down(c2, c3) + 2.0 * separable(c3, c3);
        quarter / 16.0 + eighth / 64.0 + sixteenth / 256.0
    }
}

#[derive(Module, Debug)]
pub struct GapNet {
    pub(super) stem: Pointwise,
    pub(super) enc1: SeparableBlock,
    pub(super) down2: Downsample,
    pub(super) enc2: [SeparableBlock; 2],
    pub(super) down3: Downsample,
    pub(super) bottom: [SeparableBlock; 2],
    pub(super) dec2: SeparableBlock,
    pub(super) dec1: SeparableBlock,
    pub(super) fuse: Pointwise,
    pub(super) head: Pointwise,
}

impl GapNet {
    pub fn forward(&self, darkness: Tensor<4>) -> Tensor<4> {
        let [n, _, h, w] = darkness.dims();
        let blocks = space_to_depth(darkness);
        let s1 = self.enc1.forward(relu(self.stem.forward(blocks.clone())));
        let s2 = self.enc2.iter().fold(self.down2.forward(s1.clone()), |x, b| b.forward(x));
        let x = self.bottom.iter().fold(self.down3.forward(s2.clone()), |x, b| b.forward(x));
        let x = self.dec2.forward(Tensor::cat(vec![upsample(x), s2], 1));
        let x = self.dec1.forward(Tensor::cat(vec![upsample(x), s1], 1));
        let x = relu(self.fuse.forward(Tensor::cat(vec![x, blocks], 1)));
        depth_to_space(self.head.forward(x), n, h, w)
    }
}

/// `[n, 1, h, w]` → `[n, 16, h/4, w/4]`: each 4×4 block becomes one cell of 16 channels.
fn space_to_depth(x: Tensor<4>) -> Tensor<4> {
    let [n, _, h, w] = x.dims();
    x.reshape([n, h / BLOCK, BLOCK, w / BLOCK, BLOCK])
        .permute([0, 2, 4, 1, 3])
        .reshape([n, BLOCK_CHANNELS, h / BLOCK, w / BLOCK])
}

/// The inverse of [`space_to_depth`].
fn depth_to_space(x: Tensor<4>, n: usize, h: usize, w: usize) -> Tensor<4> {
    x.reshape([n, BLOCK, BLOCK, h / BLOCK, w / BLOCK])
        .permute([0, 3, 1, 4, 2])
        .reshape([n, 1, h, w])
}

fn upsample(x: Tensor<4>) -> Tensor<4> {
    let [_, _, h, w] = x.dims();
    interpolate(x, InterpolateOptions::new(InterpolateMode::Nearest).with_output_size([h * 2, w * 2]))
}

/// Depthwise 3×3 then pointwise, with a residual path when the width is unchanged.
#[derive(Module, Debug)]
pub struct SeparableBlock {
    pub(super) depthwise: Conv2d,
    pub(super) pointwise: Pointwise,
    pub(super) residual: bool,
}

impl SeparableBlock {
    fn new(cin: usize, cout: usize, device: &Device) -> Self {
        Self {
            depthwise: Conv2dConfig::new([cin, cin], [3, 3])
                .with_groups(cin)
                .with_padding(PaddingConfig2d::Same)
                .init(device),
            pointwise: Pointwise::new(cin, cout, device),
            residual: cin == cout,
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let y = relu(self.pointwise.forward(self.depthwise.forward(x.clone())));
        if self.residual { y + x } else { y }
    }
}

/// Learned 2× downsampling: a strided depthwise 2×2 conv (several times cheaper than max
/// pooling on the CPU backend) and a pointwise widening.
#[derive(Module, Debug)]
pub struct Downsample {
    pub(super) depthwise: Conv2d,
    pub(super) pointwise: Pointwise,
}

impl Downsample {
    fn new(cin: usize, cout: usize, device: &Device) -> Self {
        Self {
            depthwise: Conv2dConfig::new([cin, cin], [2, 2]).with_stride([2, 2]).with_groups(cin).init(device),
            pointwise: Pointwise::new(cin, cout, device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        relu(self.pointwise.forward(self.depthwise.forward(x)))
    }
}

/// A 1×1 convolution computed as one batched matmul, which the CPU backend runs faster than
/// its generic convolution.
#[derive(Module, Debug)]
pub struct Pointwise {
    pub(super) weight: Param<Tensor<2>>,
    pub(super) bias: Param<Tensor<1>>,
}

impl Pointwise {
    fn new(cin: usize, cout: usize, device: &Device) -> Self {
        let init = Initializer::KaimingUniform { gain: 1.0, fan_out_only: false };
        Self {
            weight: init.init_with([cout, cin], Some(cin), Some(cout), device),
            bias: Initializer::Zeros.init([cout], device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let [n, c, h, w] = x.dims();
        let [cout, _] = self.weight.dims();
        let y = self.weight.val().unsqueeze::<3>().matmul(x.reshape([n, c, h * w]));
        let y = y + self.bias.val().reshape([1, cout, 1]);
        y.reshape([n, cout, h, w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_round_trips_and_keeps_blocks_together() {
        let device = Device::flex();
        let x = Tensor::<4>::from_data(TensorData::new((0..2 * 8 * 12).map(|v| v as f32).collect::<Vec<_>>(), [2, 1, 8, 12]), &device);
        let folded = space_to_depth(x.clone());
        assert_eq!(folded.dims(), [2, 16, 2, 3]);
        // Channel 1 of cell (0, 0) is pixel (row 0, column 1) of the first block.
        let values: Vec<f32> = folded.clone().into_data().try_into_vec().unwrap();
        assert_eq!(values[6], 1.0);
        let back: Vec<f32> = depth_to_space(folded, 2, 8, 12).into_data().try_into_vec().unwrap();
        assert_eq!(back, x.into_data().try_into_vec::<f32>().unwrap());
    }

    #[test]
    fn nothing_beyond_the_receptive_radius_matters() {
        let device = Device::flex();
        let config = GapNetConfig::new();
        let model = config.init(&device);
        let side = 256;
        let (px, py) = (130, 121);
        let mut impulse = vec![0.0f32; side * side];
        impulse[py * side + px] = 1.0;
        let run = |data: Vec<f32>| -> Vec<f32> {
            let input = Tensor::<4>::from_data(TensorData::new(data, [1, 1, side, side]), &device);
            model.forward(input).into_data().try_into_vec().unwrap()
        };
        let (base, poked) = (run(vec![0.0; side * side]), run(impulse));
        let radius = config.receptive_radius();
        let mut reach = 0;
        for y in 0..side {
            for x in 0..side {
                if base[y * side + x] != poked[y * side + x] {
                    reach = reach.max(x.abs_diff(px).max(y.abs_diff(py)));
                }
            }
        }
        assert!(reach <= radius, "a pixel {reach} px away changed; radius says {radius}");
        assert!(reach + 16 >= radius, "radius {radius} overstates the reach {reach}");
    }

    #[test]
    fn output_matches_input_shape_within_budget() {
        let config = GapNetConfig::new();
        let model = config.init(&Device::flex());
        let out = model.forward(Tensor::zeros([1, 1, 64, 48], &Device::flex()));
        assert_eq!(out.dims(), [1, 1, 64, 48]);
        assert!(model.num_params() <= 500_000);
        assert!(config.macs_per_pixel() * 1920.0 * 1080.0 <= 20e9);
    }
}
