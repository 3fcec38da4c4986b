//! Inference: runs the network over a [`TileGrid`] in batches and stitches the probabilities.

use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};

use super::tile::{TileGrid, TileSizeError, round_up_to_stride};
use crate::model::{GapNet, GapNetConfig, WeightsError, load_weights};

/// Per pixel of the image, the probability that it is ink in the closed drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbabilityMap {
    pub width: usize,
    pub height: usize,
    pub values: Vec<f32>,
}

/// How the image is cut for the network. Bigger tiles waste less work on margins; more tiles
/// per batch use the device better; both cost memory.
#[derive(Clone, Copy, Debug)]
pub struct TileOptions {
    pub tile_size: usize,
    pub batch: usize,
}

impl Default for TileOptions {
    fn default() -> Self {
        Self { tile_size: 2048, batch: 1 }
    }
}

/// How many views of each tile the network sees. The network reads the drawing in 4×4 blocks,
/// so a corner or a 1–2 px line it misses at the drawing's size it often sees zoomed in; a
/// second view of the tile zoomed 1.25× closes more gaps with less stray ink and fewer leaks
/// (models/experiments.md, "A zoomed second view"), for 2.6 times the work. One view is the
/// default, which keeps the speed targets (BENCHMARKS.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Views {
    /// The tile as it is: fastest.
    #[default]
    One,
    /// The tile, and the tile zoomed in [`Views::ZOOM`] times.
    Two,
}

impl Views {
    pub const ALL: [Views; 2] = [Views::One, Views::Two];

    /// How much the second view enlarges the tile (chosen on the dev set among 1.25, 1.5 and 2).
    pub const ZOOM: f32 = 1.25;

    /// Either view may find a closure, so each must be surer of it than one view alone: the
    /// surer view's probability is raised to this power (at the default threshold 0.42, each
    /// view needs 0.56). Chosen on the dev set for step 151,000 among 1.3, 1.4, 1.45, 1.475
    /// and 1.5: the only one with more closures than one view, and still less stray ink and
    /// more regions. It still does that for the shipped step 167,000 (`tests/dev_set.rs`).
    pub const SURENESS_POWER: f32 = 1.475;

    /// The views of `count`: 1 or 2.
    pub fn from_count(count: usize) -> Option<Views> {
        Views::ALL.into_iter().find(|views| views.count() == count)
    }

    pub fn count(self) -> usize {
        match self {
            Views::One => 1,
            Views::Two => 2,
        }
    }

    /// The side of the largest view of a tile side `side`: what sizes the network's buffers.
    pub fn largest_side(self, side: usize) -> usize {
        match self {
            Views::One => side,
            Views::Two => round_up_to_stride((side as f32 * Views::ZOOM).ceil() as usize),
        }
    }

    /// The network's work per pixel of the image, relative to one view.
    pub fn work(self) -> f64 {
        match self {
            Views::One => 1.0,
            Views::Two => 1.0 + f64::from(Views::ZOOM * Views::ZOOM),
        }
    }
}

/// The loaded network on its device. Cloning shares the weights (tensor handles), so a copy
/// that sees other views costs nothing.
#[derive(Clone)]
pub struct GapCloser {
    model: GapNet,
    config: GapNetConfig,
    device: Device,
    views: Views,
}

impl GapCloser {
    pub fn new(model: GapNet, config: GapNetConfig, device: Device) -> Self {
        Self { model, config, device, views: Views::default() }
    }

    pub fn with_views(self, views: Views) -> Self {
        Self { views, ..self }
    }

    /// Loads burnpack weights (`name` appears in errors).
    pub fn from_weights(bytes: &[u8], name: &str, device: Device) -> Result<Self, WeightsError> {
        let (model, config) = load_weights(bytes, name, &device)?;
        Ok(Self::new(model, config, device))
    }

    pub fn config(&self) -> &GapNetConfig {
        &self.config
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The tile margin: the network's receptive radius.
    pub fn margin(&self) -> usize {
        self.config.receptive_radius()
    }

    /// Tiles of side `tile_size` over a `width`×`height` image, with this network's margin.
    pub fn grid(&self, width: usize, height: usize, tile_size: usize) -> Result<TileGrid, TileSizeError> {
        TileGrid::new(width, height, tile_size, self.margin())
    }

    /// The network's input for `tiles` of the grid, as one batch tensor.
    pub fn batch_input(&self, grid: &TileGrid, darkness: &[u8], tiles: std::ops::Range<usize>) -> Tensor<4> {
        let area = grid.tile_w * grid.tile_h;
        let mut input = vec![0.0f32; tiles.len() * area];
        for (slot, index) in input.chunks_mut(area).zip(tiles.clone()) {
            grid.extract(index, darkness, slot);
        }
        let data = TensorData::new(input, [tiles.len(), 1, grid.tile_h, grid.tile_w]);
        Tensor::from_data(data, &self.device)
    }

    /// Probabilities for a batch built by [`Self::batch_input`]; read back by the caller, so
    /// the browser can await it. With two views, the surer of the two to the power
    /// [`Views::SURENESS_POWER`].
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let plain = sigmoid(self.model.forward(input.clone()));
        match self.views {
            Views::One => plain,
            Views::Two => {
                let [_, _, height, width] = input.dims();
                let zoomed = [self.views.largest_side(height), self.views.largest_side(width)];
                let bilinear = || InterpolateOptions::new(InterpolateMode::Bilinear);
                let input = interpolate(input, bilinear().with_output_size(zoomed));
                let seen_zoomed = interpolate(sigmoid(self.model.forward(input)), bilinear().with_output_size([height, width]));
                plain.max_pair(seen_zoomed).powf_scalar(Views::SURENESS_POWER)
            }
        }
    }

    /// Runs the whole grid synchronously, reporting `(tiles done, tiles total)`.
    #[cfg(not(target_family = "wasm"))]
    pub fn predict(
        &self,
        grid: &TileGrid,
        darkness: &[u8],
        batch: usize,
        mut progress: impl FnMut(usize, usize),
    ) -> ProbabilityMap {
        let mut values = vec![0.0f32; grid.width * grid.height];
        let batch = batch.max(1);
        for start in (0..grid.len()).step_by(batch) {
            let tiles = start..(start + batch).min(grid.len());
            let output = self.forward(self.batch_input(grid, darkness, tiles.clone()));
            let output: Vec<f32> = output.into_data().try_into_vec::<f32>().expect("the network outputs f32");
            stitch_batch(grid, tiles.clone(), &output, &mut values);
            progress(tiles.end, grid.len());
        }
        ProbabilityMap { width: grid.width, height: grid.height, values }
    }
}

/// Copies the cores of a batch's output into the image-sized `values`.
pub fn stitch_batch(grid: &TileGrid, tiles: std::ops::Range<usize>, output: &[f32], values: &mut [f32]) {
    let area = grid.tile_w * grid.tile_h;
    for (slot, index) in output.chunks(area).zip(tiles) {
        grid.stitch(index, slot, values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDTH: usize = 48;
    const HEIGHT: usize = 32;

    /// Sparse random ink.
    fn drawing() -> Vec<f32> {
        let mut state = 7u32;
        (0..WIDTH * HEIGHT)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if state >> 29 == 0 { 1.0 } else { 0.0 }
            })
            .collect()
    }

    fn probabilities(closer: &GapCloser, darkness: Vec<f32>) -> Vec<f32> {
        let input = Tensor::from_data(TensorData::new(darkness, [1, 1, HEIGHT, WIDTH]), closer.device());
        closer.forward(input).into_data().try_into_vec().unwrap()
    }

    #[test]
    fn the_zoomed_view_adds_what_it_is_surer_of() {
        let config = GapNetConfig::new();
        let device = Device::flex();
        let model = config.init(&device);
        let one = GapCloser::new(model.clone(), config.clone(), device.clone());
        let (plain, two) = (probabilities(&one, drawing()), probabilities(&one.with_views(Views::Two), drawing()));
        assert_eq!(plain.len(), two.len());
        // Never below one view's certainty to the power, and above it wherever the zoomed view
        // is surer.
        let floor = |p: f32| p.powf(Views::SURENESS_POWER);
        assert!(plain.iter().zip(&two).all(|(p, t)| *t >= floor(*p) - 1e-6));
        let raised = plain.iter().zip(&two).filter(|(p, t)| **t > floor(**p) + 1e-3).count();
        assert!(raised > 0 && raised < plain.len(), "{raised} of {} pixels raised", plain.len());
    }
}
