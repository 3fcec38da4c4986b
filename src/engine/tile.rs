//! Tiling: the image is cut into overlapping tiles whose margins cover the network's receptive
//! field, so stitching the tile centres reproduces whole-image inference exactly while memory
//! stays bounded by one batch of tiles.

use crate::model::GapNetConfig;

/// Where one tile sits: its input window (may reach past the image, read as paper) and the
/// core it is responsible for in the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub x: i64,
    pub y: i64,
    pub core_x: usize,
    pub core_y: usize,
    pub core_w: usize,
    pub core_h: usize,
}

/// A regular grid of equally sized tiles over a `width × height` image.
#[derive(Clone, Debug)]
pub struct TileGrid {
    pub width: usize,
    pub height: usize,
    /// Input window of every tile; multiples of [`GapNetConfig::STRIDE`].
    pub tile_w: usize,
    pub tile_h: usize,
    pub margin: usize,
    cols: usize,
    rows: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("tile size {tile} is too small: it must be at least {minimum} (twice the {margin} px margin plus {stride})")]
pub struct TileSizeError {
    pub tile: usize,
    pub minimum: usize,
    pub margin: usize,
    pub stride: usize,
}

const STRIDE: usize = GapNetConfig::STRIDE;

/// `value` rounded up to a multiple of the network's stride, the sides it accepts.
pub(crate) fn round_up_to_stride(value: usize) -> usize {
    value.div_ceil(STRIDE) * STRIDE
}

impl TileGrid {
    /// Tiles of at most `tile_size` per side with the given margin (rounded up to the stride,
    /// so every tile sees the same pooling grid). The image is split evenly between as few
    /// tiles as fit, so no tile is mostly padding.
    pub fn new(width: usize, height: usize, tile_size: usize, margin: usize) -> Result<Self, TileSizeError> {
        let margin = round_up_to_stride(margin);
        let minimum = 2 * margin + STRIDE;
        let max_step = (tile_size / STRIDE * STRIDE).saturating_sub(2 * margin);
        if max_step < STRIDE {
            return Err(TileSizeError { tile: tile_size, minimum, margin, stride: STRIDE });
        }
        let split = |side: usize| {
            let count = side.div_ceil(max_step).max(1);
            let step = round_up_to_stride(side.div_ceil(count)).max(STRIDE);
            (side.div_ceil(step).max(1), step)
        };
        let ((cols, step_x), (rows, step_y)) = (split(width), split(height));
        Ok(Self { width, height, tile_w: step_x + 2 * margin, tile_h: step_y + 2 * margin, margin, cols, rows })
    }

    /// One tile over the whole image: the reference that tiling must reproduce.
    pub fn whole(width: usize, height: usize, margin: usize) -> Self {
        let side = round_up_to_stride(width.max(height).max(1)) + 2 * round_up_to_stride(margin);
        Self::new(width, height, side, margin).expect("a tile covering the image is large enough")
    }

    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn tile(&self, index: usize) -> Tile {
        let (col, row) = (index % self.cols, index / self.cols);
        let (step_x, step_y) = (self.tile_w - 2 * self.margin, self.tile_h - 2 * self.margin);
        let (core_x, core_y) = (col * step_x, row * step_y);
        Tile {
            x: core_x as i64 - self.margin as i64,
            y: core_y as i64 - self.margin as i64,
            core_x,
            core_y,
            core_w: step_x.min(self.width - core_x),
            core_h: step_y.min(self.height - core_y),
        }
    }

    /// Writes the tile's input window (darkness scaled to 0..1, paper outside the image) into
    /// `out`, which holds `tile_w × tile_h` values.
    pub fn extract(&self, index: usize, darkness: &[u8], out: &mut [f32]) {
        let tile = self.tile(index);
        out.fill(0.0);
        for ty in 0..self.tile_h {
            let y = tile.y + ty as i64;
            if y < 0 || y >= self.height as i64 {
                continue;
            }
            let x0 = tile.x.max(0) as usize;
            let x1 = ((tile.x + self.tile_w as i64) as usize).min(self.width);
            if x0 >= x1 {
                continue;
            }
            let src = &darkness[y as usize * self.width + x0..y as usize * self.width + x1];
            let dst_start = ty * self.tile_w + (x0 as i64 - tile.x) as usize;
            for (d, &s) in out[dst_start..dst_start + src.len()].iter_mut().zip(src) {
                *d = s as f32 / 255.0;
            }
        }
    }

    /// Copies the core of a tile's output (`tile_w × tile_h` values) into the image-sized `out`.
    pub fn stitch(&self, index: usize, tile_output: &[f32], out: &mut [f32]) {
        let tile = self.tile(index);
        for cy in 0..tile.core_h {
            let src = (cy + self.margin) * self.tile_w + self.margin;
            let dst = (tile.core_y + cy) * self.width + tile.core_x;
            out[dst..dst + tile.core_w].copy_from_slice(&tile_output[src..src + tile.core_w]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers_every_pixel_once(grid: &TileGrid) {
        let mut hits = vec![0u8; grid.width * grid.height];
        for i in 0..grid.len() {
            let t = grid.tile(i);
            assert!(t.core_w > 0 && t.core_h > 0);
            for y in t.core_y..t.core_y + t.core_h {
                for x in t.core_x..t.core_x + t.core_w {
                    hits[y * grid.width + x] += 1;
                }
            }
        }
        assert!(hits.iter().all(|&h| h == 1), "{grid:?}");
    }

    #[test]
    fn grids_cover_any_size_exactly_once() {
        for (w, h) in [(1, 1), (7, 3000), (1921, 1081), (3840, 2160), (513, 17)] {
            let grid = TileGrid::new(w, h, 512, 56).unwrap();
            assert_eq!(grid.tile_w % STRIDE, 0);
            assert_eq!(grid.tile_h % STRIDE, 0);
            covers_every_pixel_once(&grid);
        }
    }

    #[test]
    fn small_images_get_small_tiles() {
        let grid = TileGrid::new(7, 3000, 512, 56).unwrap();
        assert_eq!((grid.tile_w, grid.tile_h), (16 + 2 * 64, 384 + 2 * 64));
    }

    #[test]
    fn extract_then_stitch_round_trips() {
        let (w, h) = (301, 97);
        let darkness: Vec<u8> = (0..w * h).map(|i| (i * 7 % 256) as u8).collect();
        let grid = TileGrid::new(w, h, 128, 24).unwrap();
        assert!(grid.len() > 4);
        let mut out = vec![-1.0; w * h];
        let mut window = vec![0.0; grid.tile_w * grid.tile_h];
        for i in 0..grid.len() {
            grid.extract(i, &darkness, &mut window);
            grid.stitch(i, &window, &mut out);
        }
        let expected: Vec<f32> = darkness.iter().map(|&d| d as f32 / 255.0).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn rejects_tiles_smaller_than_their_margins() {
        let err = TileGrid::new(100, 100, 64, 56).unwrap_err();
        assert_eq!(err.minimum, 2 * 64 + 16);
    }
}
