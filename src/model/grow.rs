//! Growing a trained network wider without changing what it computes, so training can go on
//! from a checkpoint with more capacity instead of starting over. Old channels keep their
//! weights and never read the new ones (those weights start at zero); new channels start
//! from a fresh initialisation, so they carry signal and learn from the first step.

use burn::module::Param;
use burn::nn::conv::Conv2d;
use burn::prelude::*;

use super::gapnet::{BLOCK_CHANNELS, Downsample, GapNet, GapNetConfig, Pointwise, SeparableBlock};

#[derive(Debug, thiserror::Error)]
#[error("cannot grow widths {from:?} to {to:?}: a network can only get wider")]
pub struct GrowError {
    pub from: [usize; 3],
    pub to: [usize; 3],
}

/// One channel axis as `(old, new)` sizes of its parts in order (a concatenated input has
/// several); each part keeps its old channels first.
type Layout = [(usize, usize)];

/// The old index of channel `index` of the grown axis; None for a new channel.
fn old_channel(layout: &Layout, index: usize) -> Option<usize> {
    let (mut old_start, mut new_start) = (0, 0);
    for &(old, new) in layout {
        if index < new_start + new {
            let offset = index - new_start;
            return (offset < old).then_some(old_start + offset);
        }
        old_start += old;
        new_start += new;
    }
    None
}

fn values<const D: usize>(tensor: &Tensor<D>) -> Vec<f32> {
    tensor.to_data().convert::<f32>().try_to_vec::<f32>().expect("float parameters")
}

/// Rows along the first axis: old rows where they existed, fresh rows for new channels.
fn grow_rows<const D: usize>(old: &Tensor<D>, fresh: &Tensor<D>, rows: &Layout) -> Tensor<D> {
    let shape = fresh.dims();
    let row: usize = shape[1..].iter().product();
    let (old_values, mut grown) = (values(old), values(fresh));
    for index in 0..shape[0] {
        if let Some(source) = old_channel(rows, index) {
            grown[index * row..(index + 1) * row].copy_from_slice(&old_values[source * row..(source + 1) * row]);
        }
    }
    Tensor::from_data(TensorData::new(grown, shape), &fresh.device())
}

fn grow_pointwise(old: &Pointwise, fresh: &Pointwise, outputs: &Layout, inputs: &Layout) -> Pointwise {
    let [rows, columns] = fresh.weight.dims();
    let [_, old_columns] = old.weight.dims();
    let (old_values, mut grown) = (values(&old.weight.val()), values(&fresh.weight.val()));
    for row in 0..rows {
        let Some(old_row) = old_channel(outputs, row) else { continue };
        for column in 0..columns {
            grown[row * columns + column] = old_channel(inputs, column).map_or(0.0, |c| old_values[old_row * old_columns + c]);
        }
    }
    let weight = Tensor::from_data(TensorData::new(grown, [rows, columns]), &fresh.weight.device());
    Pointwise {
        weight: Param::from_tensor(weight),
        bias: Param::from_tensor(grow_rows(&old.bias.val(), &fresh.bias.val(), outputs)),
    }
}

fn grow_depthwise(old: &Conv2d, fresh: &Conv2d, channels: &Layout) -> Conv2d {
    let mut grown = fresh.clone();
    grown.weight = Param::from_tensor(grow_rows(&old.weight.val(), &fresh.weight.val(), channels));
    grown.bias = match (&old.bias, &fresh.bias) {
        (Some(old), Some(fresh)) => Some(Param::from_tensor(grow_rows(&old.val(), &fresh.val(), channels))),
        _ => fresh.bias.clone(),
    };
    grown
}

fn grow_separable(old: &SeparableBlock, fresh: &SeparableBlock, outputs: &Layout, inputs: &Layout) -> SeparableBlock {
    SeparableBlock {
        depthwise: grow_depthwise(&old.depthwise, &fresh.depthwise, inputs),
        pointwise: grow_pointwise(&old.pointwise, &fresh.pointwise, outputs, inputs),
        residual: fresh.residual,
    }
}

fn grow_downsample(old: &Downsample, fresh: &Downsample, outputs: &Layout, inputs: &Layout) -> Downsample {
    Downsample {
        depthwise: grow_depthwise(&old.depthwise, &fresh.depthwise, inputs),
        pointwise: grow_pointwise(&old.pointwise, &fresh.pointwise, outputs, inputs),
    }
}

impl GapNet {
    /// This network (built with `from`) widened to `to`; it computes exactly what it did.
    /// The new channels are drawn from the device's random generator: seed it to replay.
    pub fn grown(&self, from: &GapNetConfig, to: &GapNetConfig, device: &Device) -> Result<GapNet, GrowError> {
        if from.widths.iter().zip(&to.widths).any(|(old, new)| new < old) {
            return Err(GrowError { from: from.widths, to: to.widths });
        }
        let fresh = to.init(device);
        let [l1, l2, l3] = [0, 1, 2].map(|level| [(from.widths[level], to.widths[level])]);
        let blocks = [(BLOCK_CHANNELS, BLOCK_CHANNELS)];
        let pair = |a: &Layout, b: &Layout| [a[0], b[0]];
        Ok(GapNet {
            stem: grow_pointwise(&self.stem, &fresh.stem, &l1, &blocks),
            enc1: grow_separable(&self.enc1, &fresh.enc1, &l1, &l1),
            down2: grow_downsample(&self.down2, &fresh.down2, &l2, &l1),
            enc2: [0, 1].map(|k| grow_separable(&self.enc2[k], &fresh.enc2[k], &l2, &l2)),
            down3: grow_downsample(&self.down3, &fresh.down3, &l3, &l2),
            bottom: [0, 1].map(|k| grow_separable(&self.bottom[k], &fresh.bottom[k], &l3, &l3)),
            dec2: grow_separable(&self.dec2, &fresh.dec2, &l2, &pair(&l3, &l2)),
            dec1: grow_separable(&self.dec1, &fresh.dec1, &l1, &pair(&l2, &l1)),
            fuse: grow_pointwise(&self.fuse, &fresh.fuse, &l1, &pair(&l1, &blocks)),
            head: grow_pointwise(&self.head, &fresh.head, &blocks, &l1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grown_network_computes_what_it_did() {
        let device = Device::flex();
        device.seed(5);
        let (from, to) = (GapNetConfig::new().with_widths([8, 12, 16]), GapNetConfig::new().with_widths([12, 16, 16]));
        let small = from.init(&device);
        let big = small.grown(&from, &to, &device).expect("wider");
        assert!(big.num_params() > small.num_params());
        let data: Vec<f32> = (0..2 * 64 * 48).map(|i| ((i * 37) % 101) as f32 / 100.0).collect();
        let input = Tensor::<4>::from_data(TensorData::new(data, [2, 1, 64, 48]), &device);
        let (a, b) = (values(&small.forward(input.clone())), values(&big.forward(input)));
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-4, "outputs differ by {worst}");
    }

    #[test]
    fn a_network_cannot_shrink() {
        let device = Device::flex();
        let (from, to) = (GapNetConfig::new(), GapNetConfig::new().with_widths([16, 64, 96]));
        assert!(from.init(&device).grown(&from, &to, &device).is_err());
    }
}
