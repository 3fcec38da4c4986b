//! Training samples: a gapped, degraded input, the clean target and a per-pixel loss weight
//! that concentrates learning on the gaps and on the paper where false ink would appear.

use super::drawing::procedural;
use crate::engine::mask::{dilate, paper_regions};
use super::canvas::INK_DARKNESS;
use super::{Canvas, Gap, GapKind, Rng, SitePicking, cut_gaps};

/// Where clean drawings come from.
pub enum SampleSource {
    /// Procedurally generated line art.
    Procedural,
    /// Random crops of the given drawings, drawn at a scale from the range, mixed half and
    /// half with procedural ones.
    Drawings(Vec<Canvas>, CropScale),
}

/// The scales at which training crops are drawn, picked log-uniformly: below 1 a crop shows
/// more of its drawing with thinner strokes and tighter corners, above 1 less with thicker ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CropScale {
    pub low: f32,
    pub high: f32,
}

impl CropScale {
    /// Crops pixel for pixel, as phases 1–20 trained (the default, so their commands replay).
    pub const NATIVE: Self = Self { low: 1.0, high: 1.0 };
    /// The range a user may ask for: further out, strokes vanish or fill the patch.
    pub const LIMITS: (f32, f32) = (0.25, 4.0);

    pub fn is_valid(&self) -> bool {
        Self::LIMITS.0 <= self.low && self.low <= self.high && self.high <= Self::LIMITS.1
    }

    fn pick(&self, rng: &mut Rng) -> f32 {
        rng.range(self.low.ln(), self.high.ln()).exp()
    }
}

pub struct Sample {
    pub size: usize,
    /// What the model sees: darkness 0..1 after gaps and degradation.
    pub input: Vec<f32>,
    /// 1 where the clean drawing has ink.
    pub target: Vec<f32>,
    pub weight: Vec<f32>,
    pub gaps: Vec<Gap>,
}

/// Loss weight of a pixel that must become ink (a gap).
const GAP_WEIGHT: f32 = 12.0;
/// Loss weight of paper next to ink, where false closures and blobs appear. It was 3 until
/// phase 11 and 6 until phase 13 (models/experiments.md): each rise kept a stronger boost of
/// the gap pixels from sealing channels.
const NEAR_INK_WEIGHT: f32 = 9.0;
/// Loss weight of pixels that are ink in the input: the composite keeps them anyway.
const INPUT_INK_WEIGHT: f32 = 0.2;
/// A cut of fewer pixels than this has its gap weight raised in proportion, up to
/// [`MAX_SMALL_GAP_BOOST`] times: closure counts gaps, not pixels, and per pixel a 1 px break
/// in a thin line would weigh a hundredth of a break in a thick one (models/experiments.md,
/// phases 10 and 11).
const SMALL_GAP_PIXELS: f32 = 64.0;
const MAX_SMALL_GAP_BOOST: f32 = 16.0;
/// How much more the gap pixels of a corner or near-miss junction count. Those kinds are
/// where the network stays unsure across the gap (models/experiments.md, phases 12 and 13),
/// while straight and tapered breaks already close almost always.
const HARD_KIND_BOOST: f32 = 2.0;
/// A patch asks for 2–8 gaps per this many pixels, and never fewer, so that a larger patch
/// (more context around each gap, as the network has at inference) is not mostly unbroken
/// line; it gets what its drawing's sites and the spacing between cuts allow (phase 32).
const GAP_AREA: usize = 192 * 192;

impl SampleSource {
    fn clean(&self, size: usize, rng: &mut Rng) -> Canvas {
        match self {
            Self::Drawings(drawings, scale) if !drawings.is_empty() && rng.chance(0.5) => {
                let drawing = &drawings[rng.below(0, drawings.len())];
                if *scale == CropScale::NATIVE { crop(drawing, size, rng) } else { scaled_crop(drawing, size, scale.pick(rng), rng) }
            }
            _ => procedural(size, rng),
        }
    }

    pub fn sample(&self, size: usize, rng: &mut Rng) -> Sample {
        let clean = loop {
            let clean = self.clean(size, rng);
            let ink = clean.darkness.iter().filter(|&&d| d >= INK_DARKNESS).count();
            if ink > size * size / 100 {
                break clean;
            }
        };
        let count = rng.below(2, 9) * (size * size).max(GAP_AREA) / GAP_AREA;
        let (mut input, gaps) = cut_gaps(&clean, count, 16.0, SitePicking::RarestKind, rng);
        let boost = gap_boost(&clean, &input, &gaps);
        degrade(&mut input, rng);
        let target: Vec<f32> = clean.darkness.iter().map(|&d| if d >= INK_DARKNESS { 1.0 } else { 0.0 }).collect();
        let weight = loss_weight(&input, &target, &boost, size);
        Sample { size, input: input.darkness, target, weight, gaps }
    }
}

fn crop(drawing: &Canvas, size: usize, rng: &mut Rng) -> Canvas {
    let mut out = Canvas::new(size, size);
    let x0 = rng.below(0, drawing.width.saturating_sub(size) + 1);
    let y0 = rng.below(0, drawing.height.saturating_sub(size) + 1);
    for y in 0..size.min(drawing.height) {
        for x in 0..size.min(drawing.width) {
            out.darkness[y * size + x] = drawing.darkness[(y0 + y) * drawing.width + x0 + x];
        }
    }
    out
}

/// A random window of `drawing` drawn `scale` times its size: bilinear reads, four per pixel,
/// so shrinking to a half does not alias thin strokes away.
fn scaled_crop(drawing: &Canvas, size: usize, scale: f32, rng: &mut Rng) -> Canvas {
    let span = size as f32 / scale;
    let x0 = rng.range(0.0, (drawing.width as f32 - span).max(0.0));
    let y0 = rng.range(0.0, (drawing.height as f32 - span).max(0.0));
    let mut out = Canvas::new(size, size);
    for y in 0..size {
        for x in 0..size {
            let mut sum = 0.0;
            for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                sum += drawing.sample(x0 + (x as f32 + sx) / scale - 0.5, y0 + (y as f32 + sy) / scale - 0.5);
            }
            out.darkness[y * size + x] = sum / 4.0;
        }
    }
    out
}

/// Scan and pencil character: paper noise, grainy ink, soft edges.
fn degrade(canvas: &mut Canvas, rng: &mut Rng) {
    if rng.chance(0.3) {
        let grain = rng.range(0.1, 0.35);
        for d in canvas.darkness.iter_mut().filter(|d| **d > 0.0) {
            *d *= 1.0 - grain * rng.unit();
        }
    }
    if rng.chance(0.25) {
        box_blur(canvas);
    }
    if rng.chance(0.5) {
        let sigma = rng.range(0.005, 0.05);
        for d in canvas.darkness.iter_mut() {
            *d = (*d + sigma * rng.normal()).clamp(0.0, 1.0);
        }
    }
}

fn box_blur(canvas: &mut Canvas) {
    let source = canvas.clone();
    for y in 0..canvas.height as i64 {
        for x in 0..canvas.width as i64 {
            let mut sum = 0.0;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    sum += source.get(x + dx, y + dy);
                }
            }
            canvas.darkness[y as usize * canvas.width + x as usize] = sum / 9.0;
        }
    }
}

/// Per pixel, how much more its gap weight counts: for the pixels of each cut (ink of the
/// clean drawing that the cutter removed, before degradation blurs the picture), the boost
/// its size earns, times [`HARD_KIND_BOOST`] for a cut inside the window of a corner or
/// junction gap; 1 elsewhere.
fn gap_boost(clean: &Canvas, gapped: &Canvas, gaps: &[Gap]) -> Vec<f32> {
    let kept: Vec<bool> = clean.darkness.iter().zip(&gapped.darkness).map(|(&c, &g)| !(c >= INK_DARKNESS && g < INK_DARKNESS)).collect();
    let (labels, sizes) = paper_regions(&kept, clean.width, clean.height);
    let mut hard = vec![false; sizes.len()];
    for gap in gaps.iter().filter(|gap| matches!(gap.kind, GapKind::Corner | GapKind::Junction)) {
        let (x0, y0, x1, y1) = gap.window;
        for y in y0..y1 {
            for x in x0..x1 {
                hard[labels[y * clean.width + x] as usize] = true;
            }
        }
    }
    labels
        .iter()
        .map(|&label| match label {
            0 => 1.0,
            cut => {
                let kind = if hard[cut as usize] { HARD_KIND_BOOST } else { 1.0 };
                kind * (SMALL_GAP_PIXELS / sizes[cut as usize] as f32).clamp(1.0, MAX_SMALL_GAP_BOOST)
            }
        })
        .collect()
}

fn loss_weight(input: &Canvas, target: &[f32], boost: &[f32], size: usize) -> Vec<f32> {
    let input_ink: Vec<bool> = input.darkness.iter().map(|&d| d >= INK_DARKNESS).collect();
    let near = dilate(&input_ink, size, size, 4);
    (0..size * size)
        .map(|i| match (input_ink[i], target[i] > 0.5) {
            (true, _) => INPUT_INK_WEIGHT,
            (false, true) => GAP_WEIGHT * boost[i],
            (false, false) if near[i] => NEAR_INK_WEIGHT,
            _ => 1.0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_deterministic_and_weighted_toward_gaps() {
        let make = |seed| SampleSource::Procedural.sample(128, &mut Rng::new(seed));
        let (a, b) = (make(3), make(3));
        assert_eq!(a.input, b.input);
        assert_ne!(a.input, make(4).input);
        let gap_pixels = (0..a.input.len()).filter(|&i| a.weight[i] >= GAP_WEIGHT).count();
        assert!(gap_pixels > 0, "no gap pixels in the sample");
        assert!(a.target.iter().all(|&t| t == 0.0 || t == 1.0));
    }

    #[test]
    fn larger_patches_ask_for_gaps_in_proportion_to_their_area() {
        let mean_gaps = |size: usize| {
            let total: usize = (0..12).map(|seed| SampleSource::Procedural.sample(size, &mut Rng::new(seed)).gaps.len()).sum();
            total as f64 / 12.0
        };
        let (small, large) = (mean_gaps(GAP_AREA.isqrt()), mean_gaps(2 * GAP_AREA.isqrt()));
        // Four times the area asks for four times the gaps; a procedural drawing has the sites
        // and the spacing for about twice as many (4.5 and 8.3 when this was written).
        assert!(small >= 2.0 && large > 1.5 * small, "{small:.1} gaps per patch, {large:.1} at twice the side");
    }

    #[test]
    fn scaled_crops_thin_and_thicken_strokes() {
        // An 8 px band down the middle of a sheet as wide as the crop's window.
        let band_sheet = |width: usize| {
            let mut sheet = Canvas::new(width, 400);
            for y in 0..400 {
                for x in width / 2 - 4..width / 2 + 4 {
                    sheet.darkness[y * width + x] = 1.0;
                }
            }
            sheet
        };
        let ink_width = |scale: f32| {
            let crop = scaled_crop(&band_sheet((64.0 / scale) as usize), 64, scale, &mut Rng::new(1));
            crop.darkness[32 * 64..33 * 64].iter().sum::<f32>()
        };
        assert!((ink_width(1.0) - 8.0).abs() < 0.01, "{}", ink_width(1.0));
        assert!((ink_width(0.5) - 4.0).abs() < 0.01, "{}", ink_width(0.5));
        assert!((ink_width(2.0) - 16.0).abs() < 0.01, "{}", ink_width(2.0));
        assert!(CropScale { low: 0.5, high: 2.0 }.is_valid());
        assert!(!CropScale { low: 0.5, high: 0.2 }.is_valid() && !CropScale { low: 0.1, high: 1.0 }.is_valid());
        let picks: Vec<f32> = (0..200).map(|seed| CropScale { low: 0.5, high: 2.0 }.pick(&mut Rng::new(seed))).collect();
        assert!(picks.iter().all(|s| (0.5..=2.0).contains(s)));
        assert!(picks.iter().filter(|&&s| s < 1.0).count().abs_diff(100) < 25, "log-uniform: as many shrink as grow");
    }

    #[test]
    fn small_cuts_weigh_more_per_pixel_up_to_a_limit() {
        // A 1 px line and a 10 px band, each with one cut: 1 and 70 pixels removed.
        let mut clean = Canvas::new(40, 40);
        for x in 0..40 {
            clean.darkness[5 * 40 + x] = 1.0;
            for y in 15..25 {
                clean.darkness[y * 40 + x] = 1.0;
            }
        }
        let mut gapped = clean.clone();
        gapped.darkness[5 * 40 + 20] = 0.0;
        for y in 15..25 {
            for x in 10..17 {
                gapped.darkness[y * 40 + x] = 0.0;
            }
        }
        gapped.darkness[27 * 40] = 0.3; // not ink in either: no boost
        let boost = gap_boost(&clean, &gapped, &[]);
        assert_eq!(boost[5 * 40 + 20], MAX_SMALL_GAP_BOOST);
        assert_eq!(boost[20 * 40 + 12], 1.0, "a 70-pixel cut is not small");
        assert_eq!(boost[5 * 40 + 21], 1.0);
        assert_eq!(boost[27 * 40], 1.0);
        let target: Vec<f32> = clean.darkness.iter().map(|&d| if d >= INK_DARKNESS { 1.0 } else { 0.0 }).collect();
        let weight = loss_weight(&gapped, &target, &boost, 40);
        assert_eq!(weight[5 * 40 + 20], GAP_WEIGHT * MAX_SMALL_GAP_BOOST);
        assert_eq!(weight[20 * 40 + 12], GAP_WEIGHT);
    }

    #[test]
    fn corner_and_junction_cuts_weigh_more() {
        // Two 1 px lines, each cut once; a gap of each kind has its window on one of them.
        let mut clean = Canvas::new(40, 40);
        for x in 0..40 {
            clean.darkness[5 * 40 + x] = 1.0;
            clean.darkness[30 * 40 + x] = 1.0;
        }
        let mut gapped = clean.clone();
        gapped.darkness[5 * 40 + 20] = 0.0;
        gapped.darkness[30 * 40 + 20] = 0.0;
        let gap = |kind, y: usize| Gap { kind, length: 1.0, stroke_width: 1.0, side_a: (19, y), side_b: (21, y), window: (15, y - 3, 26, y + 4) };
        let boost = gap_boost(&clean, &gapped, &[gap(GapKind::Junction, 5), gap(GapKind::Straight, 30)]);
        assert_eq!(boost[5 * 40 + 20], HARD_KIND_BOOST * MAX_SMALL_GAP_BOOST);
        assert_eq!(boost[30 * 40 + 20], MAX_SMALL_GAP_BOOST);
        assert_eq!(boost[5 * 40 + 21], 1.0, "kept ink is not boosted");
    }
}
