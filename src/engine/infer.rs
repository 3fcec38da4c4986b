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

/// How many mirror images of each tile the network sees; their probabilities are averaged.
/// The network is not mirror-symmetric, and a gap it half-sees one way it may see in a mirror:
/// four views add less stray ink and close a few more gaps at any threshold
/// (models/README.md, "Mirrored views"), for four times the work. One view is the default,
/// which keeps the speed targets (BENCHMARKS.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Views {
    /// The tile as it is: fastest.
    #[default]
    One,
    /// The tile and its left–right mirror.
    Two,
    /// The tile, its left–right, top–bottom and double mirrors.
    Four,
}

impl Views {
    pub const ALL: [Views; 3] = [Views::One, Views::Two, Views::Four];

    /// The views of `count` mirror images: 1, 2 or 4.
    pub fn from_count(count: usize) -> Option<Views> {
        Views::ALL.into_iter().find(|views| views.count() == count)
    }

    pub fn count(self) -> usize {
        match self {
            Views::One => 1,
            Views::Two => 2,
            Views::Four => 4,
        }
    }

    /// The axes (of an NCHW tensor) each view mirrors.
    fn mirrored_axes(self) -> &'static [&'static [usize]] {
        const AXES: [&[usize]; 4] = [&[], &[3], &[2], &[2, 3]];
        &AXES[..self.count()]
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

    /// Probabilities for a batch built by [`Self::batch_input`], the mean over the mirrored
    /// views; read back by the caller, so the browser can await it. The views run one after
    /// another, so memory stays that of one.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let views = self.views.mirrored_axes();
        let mirror = |tensor: Tensor<4>, axes: &[usize]| axes.iter().fold(tensor, |t, &axis| t.flip([axis]));
        let sum = views
            .iter()
            .map(|axes| mirror(sigmoid(self.model.forward(mirror(input.clone(), axes))), axes))
            .reduce(|a, b| a + b)
            .expect("at least one view");
        // One view, the default, is the network's output as it is: no pass over the tile to divide by 1.
        match views.len() {
            1 => sum,
            count => sum / count as f32,
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

    /// Where pixel `i` goes in the left–right mirror.
    fn left_right(i: usize) -> usize {
        (i / WIDTH) * WIDTH + WIDTH - 1 - i % WIDTH
    }

    /// Where pixel `i` goes in the top–bottom mirror.
    fn top_bottom(i: usize) -> usize {
        (HEIGHT - 1 - i / WIDTH) * WIDTH + i % WIDTH
    }

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
    fn mirrored_views_make_the_probabilities_mirror_symmetric() {
        let config = GapNetConfig::new();
        let device = Device::flex();
        let model = config.init(&device);
        let drawing = drawing();
        // How far the probabilities of the mirrored drawing are from the mirrored probabilities.
        let asymmetry = |views: Views, mirror: fn(usize) -> usize| {
            let closer = GapCloser::new(model.clone(), config.clone(), device.clone()).with_views(views);
            let mut mirrored = vec![0.0; drawing.len()];
            for (i, &d) in drawing.iter().enumerate() {
                mirrored[mirror(i)] = d;
            }
            let (plain, of_mirror) = (probabilities(&closer, drawing.clone()), probabilities(&closer, mirrored));
            (0..plain.len()).map(|i| (plain[i] - of_mirror[mirror(i)]).abs()).fold(0.0, f32::max)
        };
        // An untrained network's one view is not symmetric; the views' average is, about every
        // axis they mirror.
        assert!(asymmetry(Views::One, left_right) > 1e-3);
        assert!(asymmetry(Views::Two, left_right) < 1e-5);
        assert!(asymmetry(Views::Two, top_bottom) > 1e-3);
        assert!(asymmetry(Views::Four, left_right) < 1e-5);
        assert!(asymmetry(Views::Four, top_bottom) < 1e-5);
    }
}
