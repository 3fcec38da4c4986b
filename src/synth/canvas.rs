//! A darkness raster (0 = paper, 1 = ink) with anti-aliased stroke stamping.

use image::GrayImage;

/// Darkness as the engine stores it: 0 = paper, 255 = ink.
pub fn darkness_bytes(plane: &[f32]) -> Vec<u8> {
    plane.iter().map(|&d| (d.clamp(0.0, 1.0) * 255.0).round() as u8).collect()
}

/// Darkness from which a pixel counts as ink: the engine's [`crate::engine::INK_LEVEL`] on
/// this 0–1 scale.
pub const INK_DARKNESS: f32 = 0.5;

#[derive(Clone, Debug, PartialEq)]
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub darkness: Vec<f32>,
}

impl Canvas {
    pub fn new(width: usize, height: usize) -> Self {
        Self { width, height, darkness: vec![0.0; width * height] }
    }

    /// A decoded drawing's darkness, to train on or cut gaps into.
    pub fn of(drawing: &crate::engine::Drawing) -> Self {
        let darkness = drawing.darkness.iter().map(|&d| f32::from(d) / 255.0).collect();
        Self { width: drawing.width(), height: drawing.height(), darkness }
    }

    pub fn get(&self, x: i64, y: i64) -> f32 {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            0.0
        } else {
            self.darkness[y as usize * self.width + x as usize]
        }
    }

    /// Bilinear read at a real position, paper outside.
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let top = self.get(x0, y0) * (1.0 - fx) + self.get(x0 + 1, y0) * fx;
        let bottom = self.get(x0, y0 + 1) * (1.0 - fx) + self.get(x0 + 1, y0 + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// Darkens a disc of `radius` at `(cx, cy)` to `ink`, with a one-pixel anti-aliased rim
    /// (or a hard edge when `aliased`).
    pub fn stamp(&mut self, cx: f32, cy: f32, radius: f32, ink: f32, aliased: bool) {
        let reach = radius + 1.0;
        let x0 = ((cx - reach).floor().max(0.0)) as usize;
        let y0 = ((cy - reach).floor().max(0.0)) as usize;
        let x1 = ((cx + reach).ceil() as i64).clamp(0, self.width as i64) as usize;
        let y1 = ((cy + reach).ceil() as i64).clamp(0, self.height as i64) as usize;
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let distance = (dx * dx + dy * dy).sqrt();
                let coverage = if aliased {
                    if distance <= radius.max(0.5) { 1.0 } else { 0.0 }
                } else {
                    (radius + 0.5 - distance).clamp(0.0, 1.0)
                };
                let value = &mut self.darkness[y * self.width + x];
                *value = value.max(coverage * ink);
            }
        }
    }

    /// Draws a polyline of `(x, y, radius)` points, stamping every third of a pixel.
    pub fn stroke(&mut self, points: &[(f32, f32, f32)], ink: f32, aliased: bool) {
        for pair in points.windows(2) {
            let ((x0, y0, r0), (x1, y1, r1)) = (pair[0], pair[1]);
            let steps = (((x1 - x0).hypot(y1 - y0)) * 3.0).ceil().max(1.0) as usize;
            for s in 0..steps {
                let t = s as f32 / steps as f32;
                self.stamp(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, r0 + (r1 - r0) * t, ink, aliased);
            }
        }
        if let Some(&(x, y, r)) = points.last() {
            self.stamp(x, y, r, ink, aliased);
        }
    }

    pub fn is_ink(&self, x: i64, y: i64) -> bool {
        self.get(x, y) >= INK_DARKNESS
    }

    /// The drawing as a user would have it: dark lines on white paper.
    pub fn to_image(&self) -> GrayImage {
        let pixels = darkness_bytes(&self.darkness).into_iter().map(|d| 255 - d).collect();
        GrayImage::from_vec(self.width as u32, self.height as u32, pixels).expect("the plane matches its size")
    }
}
