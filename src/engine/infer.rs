//! Inference: runs the network over a [`TileGrid`] in batches and stitches the probabilities.

use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use super::tile::{TileGrid, TileSizeError};
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

/// The loaded network on its device.
pub struct GapCloser {
    model: GapNet,
    config: GapNetConfig,
    device: Device,
}

impl GapCloser {
    pub fn new(model: GapNet, config: GapNetConfig, device: Device) -> Self {
        Self { model, config, device }
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

    pub fn grid(&self, width: usize, height: usize, options: TileOptions) -> Result<TileGrid, TileSizeError> {
        TileGrid::new(width, height, options.tile_size, self.margin())
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

    /// Probabilities for a batch built by [`Self::batch_input`]; read back by the caller, so the
    /// browser can await it.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        sigmoid(self.model.forward(input))
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
