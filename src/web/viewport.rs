//! The viewer's geometry: zoom and pan of the image in the view, and the before/after split.
//!
//! A screen point `s` shows image point `(s - offset) / scale`; all in CSS pixels.

/// Closest zoom: one image pixel over 64 screen pixels, enough to judge single pixels.
pub const MAX_SCALE: f64 = 64.0;
/// From this zoom on, pixels are drawn as sharp squares (nearest neighbour), not blurred.
pub const PIXELATED_FROM: f64 = 2.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub scale: f64,
    pub offset_x: f64,
    pub offset_y: f64,
}

impl Viewport {
    /// The whole image, centred, as large as fits (never enlarged past 8×: tiny drawings
    /// would otherwise start as a few huge pixels).
    pub fn fit(image: (usize, usize), view: (f64, f64)) -> Self {
        let (iw, ih) = (image.0.max(1) as f64, image.1.max(1) as f64);
        let scale = (view.0 / iw).min(view.1 / ih).clamp(Self::min_scale(image, view), 8.0);
        Self { scale, offset_x: (view.0 - iw * scale) / 2.0, offset_y: (view.1 - ih * scale) / 2.0 }
    }

    /// Zoomed out no further than a quarter of the fitting size.
    pub fn min_scale(image: (usize, usize), view: (f64, f64)) -> f64 {
        let fit = (view.0 / image.0.max(1) as f64).min(view.1 / image.1.max(1) as f64);
        (fit / 4.0).min(1.0)
    }

    /// Multiplies the zoom by `factor`, keeping the image point under `(sx, sy)` in place.
    pub fn zoom_at(&mut self, factor: f64, sx: f64, sy: f64, image: (usize, usize), view: (f64, f64)) {
        let scale = (self.scale * factor).clamp(Self::min_scale(image, view), MAX_SCALE);
        let (ix, iy) = self.to_image(sx, sy);
        self.scale = scale;
        self.offset_x = sx - ix * scale;
        self.offset_y = sy - iy * scale;
        self.keep_visible(image, view);
    }

    /// One image pixel per screen pixel, around the view's centre.
    pub fn actual_size(&mut self, image: (usize, usize), view: (f64, f64)) {
        self.zoom_at(1.0 / self.scale, view.0 / 2.0, view.1 / 2.0, image, view);
    }

    pub fn pan(&mut self, dx: f64, dy: f64, image: (usize, usize), view: (f64, f64)) {
        self.offset_x += dx;
        self.offset_y += dy;
        self.keep_visible(image, view);
    }

    pub fn to_image(&self, sx: f64, sy: f64) -> (f64, f64) {
        ((sx - self.offset_x) / self.scale, (sy - self.offset_y) / self.scale)
    }

    /// Whether pixels should be drawn sharp.
    pub fn pixelated(&self) -> bool {
        self.scale >= PIXELATED_FROM
    }

    /// Keeps at least a quarter of the view (or the whole image, if smaller) covered, so the
    /// drawing cannot be panned out of sight.
    fn keep_visible(&mut self, image: (usize, usize), view: (f64, f64)) {
        let clamp_axis = |offset: f64, extent: f64, view: f64| {
            let keep = (extent).min(view / 4.0);
            offset.clamp(keep - extent, view - keep)
        };
        self.offset_x = clamp_axis(self.offset_x, image.0 as f64 * self.scale, view.0);
        self.offset_y = clamp_axis(self.offset_y, image.1 as f64 * self.scale, view.1);
    }
}

/// The before/after split (0 = all after, 1 = all before) after a key press on the slider:
/// arrows move 1 % (10 % with Shift), Page keys 10 %, Home and End go to the ends.
pub fn split_after_key(split: f64, key: &str, shift: bool) -> Option<f64> {
    let step = if shift { 0.1 } else { 0.01 };
    let value = match key {
        "ArrowLeft" | "ArrowDown" => split - step,
        "ArrowRight" | "ArrowUp" => split + step,
        "PageDown" => split - 0.1,
        "PageUp" => split + 0.1,
        "Home" => 0.0,
        "End" => 1.0,
        _ => return None,
    };
    Some((value * 100.0).round().clamp(0.0, 100.0) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMAGE: (usize, usize) = (1920, 1080);
    const VIEW: (f64, f64) = (960.0, 720.0);

    #[test]
    fn fit_centres_the_whole_image() {
        let v = Viewport::fit(IMAGE, VIEW);
        assert_eq!(v.scale, 0.5);
        assert_eq!((v.offset_x, v.offset_y), (0.0, (720.0 - 540.0) / 2.0));
        assert_eq!(Viewport::fit((10, 10), VIEW).scale, 8.0, "tiny drawings are not blown up");
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let mut v = Viewport::fit(IMAGE, VIEW);
        let before = v.to_image(300.0, 200.0);
        v.zoom_at(8.0, 300.0, 200.0, IMAGE, VIEW);
        assert_eq!(v.scale, 4.0);
        let after = v.to_image(300.0, 200.0);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert!(v.pixelated());
        v.zoom_at(1e6, 0.0, 0.0, IMAGE, VIEW);
        assert_eq!(v.scale, MAX_SCALE);
        v.zoom_at(1e-9, 0.0, 0.0, IMAGE, VIEW);
        assert_eq!(v.scale, Viewport::min_scale(IMAGE, VIEW));
        v.actual_size(IMAGE, VIEW);
        assert_eq!(v.scale, 1.0);
        assert!(!v.pixelated());
    }

    #[test]
    fn panning_cannot_lose_the_image() {
        let mut v = Viewport::fit(IMAGE, VIEW);
        v.pan(1e6, -1e6, IMAGE, VIEW);
        assert!(v.offset_x <= VIEW.0 && v.offset_x + IMAGE.0 as f64 * v.scale >= 0.0);
        assert!(v.offset_y + IMAGE.1 as f64 * v.scale >= VIEW.1 / 4.0 - 1e-9);
    }

    #[test]
    fn keys_move_the_split() {
        assert_eq!(split_after_key(0.5, "ArrowLeft", false), Some(0.49));
        assert_eq!(split_after_key(0.5, "ArrowRight", true), Some(0.6));
        assert_eq!(split_after_key(0.95, "PageUp", false), Some(1.0));
        assert_eq!(split_after_key(0.3, "Home", false), Some(0.0));
        assert_eq!(split_after_key(0.3, "End", false), Some(1.0));
        assert_eq!(split_after_key(0.3, "a", false), None);
    }
}
