//! Compute and view settings of the web app: the backends, their tile sizes, and the
//! sensitivity slider's mapping to the engine's threshold.

use crate::engine::{DEFAULT_THRESHOLD, TileGrid, TileOptions};

/// Where the model runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// burn's wgpu backend on the browser's WebGPU.
    WebGpu,
    /// burn-flex in WebAssembly (SIMD), in one Web Worker per core.
    Cpu,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::WebGpu => "WebGPU",
            Backend::Cpu => "CPU (WebAssembly)",
        }
    }
}

/// WebGPU's tiles: big, while their buffers stay far below WebGPU's default 128 MiB
/// storage-buffer limit, and below half of it for the zoomed view.
pub const GPU_TILES: TileOptions = TileOptions { tile_size: 1024, batch: 1 };

/// Tile sizes the CPU workers may use, largest first.
const CPU_TILE_SIZES: [usize; 3] = [1248, 1024, 704];

/// The CPU tile size for a frame: the one whose tiles, dealt in rounds to `workers`, leave the
/// least work to the busiest worker. Big tiles waste less on margins; small ones keep more
/// workers busy (1080p on two workers: two 1248 px tiles; on four: eight 704 px ones).
pub fn cpu_tile_size(width: usize, height: usize, margin: usize, workers: usize) -> usize {
    CPU_TILE_SIZES
        .into_iter()
        .filter_map(|size| TileGrid::new(width, height, size, margin).ok().map(|grid| (size, grid)))
        .min_by_key(|(_, grid)| grid.len().div_ceil(workers.max(1)) * grid.tile_w * grid.tile_h)
        .map_or(CPU_TILE_SIZES[0], |(size, _)| size)
}

/// The sensitivity slider runs from 1 to 99; higher closes more (a lower threshold).
pub const SENSITIVITY_RANGE: std::ops::RangeInclusive<u32> = 1..=99;

pub fn threshold_for(sensitivity: u32) -> f32 {
    let s = sensitivity.clamp(*SENSITIVITY_RANGE.start(), *SENSITIVITY_RANGE.end());
    // Integer first: 58 gives exactly 0.42f32, as a threshold written 0.42 does.
    (100 - s) as f32 / 100.0
}

pub fn default_sensitivity() -> u32 {
    ((1.0 - DEFAULT_THRESHOLD) * 100.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Views;
    use crate::engine::tile::round_up_to_stride;
    use crate::model::GapNetConfig;

    /// WebGPU's default `maxStorageBufferBindingSize`.
    const WEBGPU_MAX_BUFFER: usize = 128 << 20;

    /// An upper bound of the largest activation buffer (bytes) a batch of tiles needs with
    /// `views`: the widest concatenation at quarter and eighth resolution of the largest view, in f32.
    fn largest_buffer_bytes(config: &GapNetConfig, options: TileOptions, views: Views) -> usize {
        let [c1, c2, c3] = config.widths;
        let side = views.largest_side(round_up_to_stride(options.tile_size));
        let quarter = (c2 + c1).max(c1 + 16) * (side / 4).pow(2);
        let eighth = (c3 + c2) * (side / 8).pow(2);
        let full = side * side;
        options.batch * quarter.max(eighth).max(full) * 4
    }

    #[test]
    fn sensitivity_maps_to_threshold() {
        assert_eq!(threshold_for(default_sensitivity()), DEFAULT_THRESHOLD);
        assert!(threshold_for(90) < threshold_for(10));
        assert_eq!(threshold_for(0), threshold_for(1));
        assert!(threshold_for(200) > 0.0);
    }

    /// The network the app ships with.
    fn shipped() -> GapNetConfig {
        let device = burn::prelude::Device::flex();
        crate::model::load_weights(crate::model::DEFAULT_WEIGHTS, crate::model::DEFAULT_WEIGHTS_NAME, &device).expect("shipped weights load").1
    }

    #[test]
    fn gpu_tiles_fit_webgpu_buffers_and_cover_their_margins() {
        let config = shipped();
        assert!(largest_buffer_bytes(&config, GPU_TILES, Views::One) * 4 <= WEBGPU_MAX_BUFFER);
        assert!(largest_buffer_bytes(&config, GPU_TILES, Views::Two) * 2 <= WEBGPU_MAX_BUFFER);
        let grid = TileGrid::new(3840, 2160, GPU_TILES.tile_size, config.receptive_radius());
        assert!(grid.is_ok(), "{grid:?}");
    }

    #[test]
    fn cpu_tiles_keep_every_worker_busy_with_little_margin() {
        let margin = shipped().receptive_radius();
        let tiles = |workers| {
            let size = cpu_tile_size(1920, 1080, margin, workers);
            TileGrid::new(1920, 1080, size, margin).unwrap().len()
        };
        // Two workers: one big tile each. Four: enough tiles for all of them.
        assert_eq!(tiles(2), 2);
        assert!(tiles(4) >= 4, "{} tiles for four workers", tiles(4));
        // A small drawing is one tile whatever the workers.
        let small = cpu_tile_size(300, 200, margin, 4);
        assert_eq!(TileGrid::new(300, 200, small, margin).unwrap().len(), 1);
    }
}
