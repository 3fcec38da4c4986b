//! Compute and view settings of the web app: the backends, their tile sizes, and the
//! sensitivity slider's mapping to the engine's threshold.

use crate::engine::{DEFAULT_THRESHOLD, TileOptions};
use crate::model::GapNetConfig;

/// Where the model runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// burn's wgpu backend on the browser's WebGPU.
    WebGpu,
    /// burn-flex in WebAssembly (SIMD) on the main thread, one tile between yields.
    Cpu,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::WebGpu => "WebGPU",
            Backend::Cpu => "CPU (WebAssembly)",
        }
    }

    /// Tiles per backend. The CPU blocks the page while a tile runs, so its tiles stay small
    /// enough to take about a third of a second; 704 px is where the even split of 1080p and
    /// 4K frames wastes least on the 80 px margins at that size (28 % fewer pixels than 512 px
    /// tiles). The GPU gets bigger tiles whose buffers stay far below WebGPU's default
    /// 128 MiB storage-buffer limit.
    pub fn tile_options(self) -> TileOptions {
        match self {
            Backend::WebGpu => TileOptions { tile_size: 1024, batch: 1 },
            Backend::Cpu => TileOptions { tile_size: 704, batch: 1 },
        }
    }
}

/// WebGPU's default `maxStorageBufferBindingSize`.
pub const WEBGPU_MAX_BUFFER: usize = 128 << 20;

/// An upper bound of the largest activation buffer (bytes) a batch of tiles needs: the
/// widest concatenation at quarter and eighth resolution, in f32.
pub fn largest_buffer_bytes(config: &GapNetConfig, options: TileOptions) -> usize {
    let [c1, c2, c3] = config.widths;
    let side = options.tile_size.div_ceil(GapNetConfig::STRIDE) * GapNetConfig::STRIDE;
    let quarter = (c2 + c1).max(c1 + 16) * (side / 4).pow(2);
    let eighth = (c3 + c2) * (side / 8).pow(2);
    let full = side * side;
    options.batch * quarter.max(eighth).max(full) * 4
}

/// The sensitivity slider runs from 1 to 99; higher closes more (a lower threshold).
pub const SENSITIVITY_RANGE: std::ops::RangeInclusive<u32> = 1..=99;

pub fn threshold_for(sensitivity: u32) -> f32 {
    let s = sensitivity.clamp(*SENSITIVITY_RANGE.start(), *SENSITIVITY_RANGE.end());
    // Integer first: 60 gives exactly 0.4f32, as a threshold written 0.4 does.
    (100 - s) as f32 / 100.0
}

pub fn default_sensitivity() -> u32 {
    ((1.0 - DEFAULT_THRESHOLD) * 100.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_maps_to_threshold() {
        assert_eq!(threshold_for(default_sensitivity()), DEFAULT_THRESHOLD);
        assert!(threshold_for(90) < threshold_for(10));
        assert_eq!(threshold_for(0), threshold_for(1));
        assert!(threshold_for(200) > 0.0);
    }

    #[test]
    fn gpu_tiles_fit_webgpu_buffers_and_cover_their_margins() {
        let config = GapNetConfig::new();
        for backend in [Backend::WebGpu, Backend::Cpu] {
            let options = backend.tile_options();
            assert!(largest_buffer_bytes(&config, options) * 4 <= WEBGPU_MAX_BUFFER, "{backend:?}");
            let grid = crate::engine::TileGrid::new(3840, 2160, options.tile_size, config.receptive_radius());
            assert!(grid.is_ok(), "{backend:?}: {grid:?}");
        }
    }
}
