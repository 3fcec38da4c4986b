//! Compositing: the original image plus added ink where the model sees a closure and the
//! original has paper. Original ink is never touched; the threshold applies here, so a UI can
//! re-composite at another sensitivity without re-running the model.

use std::collections::VecDeque;

use image::{DynamicImage, ImageBuffer, Pixel};

use super::bridge::{bridges, neighbours};
use super::decode::Drawing;
use super::infer::ProbabilityMap;

/// Pixels at least this dark are original ink and are left bit for bit as they are. Lighter
/// pixels (paper, noise, the anti-aliased fringe) may be painted over by a closure.
pub const INK_LEVEL: u8 = 128;

/// The sensitivity a user gets unless they choose: the probability above which paper becomes
/// ink. Chosen for the shipped weights on the dev set (models/README.md): the most closures
/// that keep region recovery ≥ 0.95 and false ink ≤ 150 px per megapixel. Two views
/// ([`super::Views`]) close at least as many gaps as one at this threshold, with more regions
/// and less stray ink.
pub const DEFAULT_THRESHOLD: f32 = 0.42;

/// On a link between stroke ends ([`Drawing::ends`]) paper is a candidate from this share of the
/// threshold: the geometry vouches for the way across where the network only leans to it.
/// Chosen on the dev set's four cuts, with the stroked characters as the check that lower
/// shares close openings artists leave (models/experiments.md, "Links between stroke ends").
const LINK_THRESHOLD_SHARE: f32 = 0.6;

/// The closed drawing and which pixels were added.
pub struct Closure {
    pub image: DynamicImage,
    /// One flag per pixel, row-major.
    pub added: Vec<bool>,
    pub added_pixels: usize,
}

pub fn composite(drawing: &Drawing, probability: &ProbabilityMap, threshold: f32) -> Closure {
    let (width, height) = (drawing.width(), drawing.height());
    assert_eq!((probability.width, probability.height), (width, height), "probability map of another image");
    let (ink, ends) = (drawing.ink(), drawing.ends());
    let link_threshold = threshold * LINK_THRESHOLD_SHARE;
    let candidate: Vec<bool> = (0..ink.len())
        .map(|i| !ink[i] && probability.values[i] > if ends.links[i] { link_threshold } else { threshold })
        .collect();
    let added = bridges(&candidate, &probability.values, ink, &ends.near_end, width, height);
    let sources = colour_sources(&added, &drawing.darkness, ink, width, height);
    let mut image = drawing.image.clone();
    paint(&mut image, &sources);
    Closure { image, added_pixels: sources.len(), added }
}

/// What composites at a threshold of at least `lowest_threshold` can read of a probability map:
/// the paper pixels that could become candidates. Every other pixel can read as 0 with the same
/// closure, so the web app, which keeps each file's result for its sensitivity slider, keeps
/// only this: a bit per pixel and the values of the few kept pixels (2–5 % of a typical line
/// drawing's), instead of four bytes per pixel.
pub struct CompactProbabilities {
    width: usize,
    height: usize,
    /// One bit per pixel, row-major: whether its value is in `values`.
    kept: Vec<u64>,
    values: Vec<f32>,
}

impl CompactProbabilities {
    pub fn new(drawing: &Drawing, probability: &ProbabilityMap, lowest_threshold: f32) -> Self {
        // The lowest bar any pixel meets at any allowed threshold: a link's share of it.
        let floor = lowest_threshold * LINK_THRESHOLD_SHARE;
        let mut kept = vec![0u64; probability.values.len().div_ceil(64)];
        let mut values = Vec::new();
        for (i, (&value, &is_ink)) in probability.values.iter().zip(drawing.ink()).enumerate() {
            if !is_ink && value > floor {
                kept[i / 64] |= 1 << (i % 64);
                values.push(value);
            }
        }
        Self { width: probability.width, height: probability.height, kept, values }
    }

    /// The map to composite with: the kept values, 0 elsewhere.
    pub fn to_map(&self) -> ProbabilityMap {
        let mut values = vec![0.0; self.width * self.height];
        let kept_indices = (0..values.len()).filter(|i| self.kept[i / 64] >> (i % 64) & 1 == 1);
        for (index, &value) in kept_indices.zip(&self.values) {
            values[index] = value;
        }
        ProbabilityMap { width: self.width, height: self.height, values }
    }
}

/// For each added pixel, the original pixel whose colour it takes: the core of the nearest
/// stroke it grows from (breadth-first through the added pixels), so a closure continues its
/// line in tone and colour rather than as a faint hairline. Returns `(added, source)` pairs.
fn colour_sources(added: &[bool], darkness: &[u8], ink: &[bool], width: usize, height: usize) -> Vec<(usize, usize)> {
    let mut source = vec![usize::MAX; added.len()];
    let mut queue = VecDeque::new();
    for index in (0..added.len()).filter(|&i| added[i]) {
        if let Some(seed) = neighbours(index, width, height).find(|&n| ink[n]) {
            source[index] = stroke_core(seed, darkness, width, height);
            queue.push_back(index);
        }
    }
    let mut pairs = Vec::new();
    while let Some(index) = queue.pop_front() {
        pairs.push((index, source[index]));
        for n in neighbours(index, width, height) {
            if added[n] && source[n] == usize::MAX {
                source[n] = source[index];
                queue.push_back(n);
            }
        }
    }
    pairs
}

/// The darkest pixel within two pixels of `index`: the middle of the stroke, not its fringe.
fn stroke_core(index: usize, darkness: &[u8], width: usize, height: usize) -> usize {
    let (x, y) = (index % width, index / width);
    let mut best = index;
    for ny in y.saturating_sub(2)..(y + 3).min(height) {
        for nx in x.saturating_sub(2)..(x + 3).min(width) {
            let n = ny * width + nx;
            if darkness[n] > darkness[best] {
                best = n;
            }
        }
    }
    best
}

fn paint(image: &mut DynamicImage, sources: &[(usize, usize)]) {
    fn copy<P: Pixel>(buffer: &mut ImageBuffer<P, Vec<P::Subpixel>>, sources: &[(usize, usize)]) {
        let width = buffer.width() as usize;
        for &(target, source) in sources {
            let pixel = *buffer.get_pixel((source % width) as u32, (source / width) as u32);
            buffer.put_pixel((target % width) as u32, (target / width) as u32, pixel);
        }
    }
    match image {
        DynamicImage::ImageLuma8(b) => copy(b, sources),
        DynamicImage::ImageLumaA8(b) => copy(b, sources),
        DynamicImage::ImageRgb8(b) => copy(b, sources),
        DynamicImage::ImageRgba8(b) => copy(b, sources),
        DynamicImage::ImageLuma16(b) => copy(b, sources),
        DynamicImage::ImageLumaA16(b) => copy(b, sources),
        DynamicImage::ImageRgb16(b) => copy(b, sources),
        DynamicImage::ImageRgba16(b) => copy(b, sources),
        DynamicImage::ImageRgb32F(b) => copy(b, sources),
        DynamicImage::ImageRgba32F(b) => copy(b, sources),
        other => {
            let mut rgba = other.to_rgba16();
            copy(&mut rgba, sources);
            *other = DynamicImage::ImageRgba16(rgba);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};

    /// A red horizontal stroke with a 3 px gap, and a probability map that says "ink" across
    /// the gap, over the stroke itself, and on a stray island far away.
    fn gapped_red_stroke() -> (Drawing, ProbabilityMap) {
        let image = RgbImage::from_fn(20, 9, |x, y| {
            let on_stroke = (3..=5).contains(&y) && !(8..11).contains(&x);
            let core = y == 4;
            match (on_stroke, core) {
                (true, true) => Rgb([200, 0, 0]),
                (true, false) => Rgb([230, 60, 60]),
                _ => Rgb([255, 255, 255]),
            }
        });
        let drawing = Drawing::from_image(DynamicImage::ImageRgb8(image));
        let values = (0..20 * 9)
            .map(|i| {
                let (x, y) = (i % 20, i / 20);
                let closure = (3..=5).contains(&y) && (1..19).contains(&x);
                let island = y == 0 && x == 18;
                // Surest along the middle of the stroke, as the network is.
                if closure && y == 4 { 0.95 } else if closure || island { 0.9 } else { 0.1 }
            })
            .collect();
        (drawing, ProbabilityMap { width: 20, height: 9, values })
    }

    #[test]
    fn compact_probabilities_composite_alike_at_every_allowed_threshold() {
        // A 3 px stroke broken for 6 px (a link between its ends), which the network sees under
        // the lowest threshold but over a link's share of it; noise everywhere else, so that
        // the floor, the links' lower bar and the ink all decide which pixels are kept.
        let image = GrayImage::from_fn(48, 12, |x, y| Luma([if (5..=7).contains(&y) && !(20..26).contains(&x) { 0 } else { 255 }]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let lowest = 0.3;
        let mut state = 12345u32;
        let values = (0..48 * 12).map(|i| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let in_gap = (20..26).contains(&(i % 48)) && (5..=7).contains(&(i / 48));
            if in_gap { lowest * 0.8 } else { (state >> 8) as f32 / (1 << 24) as f32 * 0.3 }
        });
        let probability = ProbabilityMap { width: 48, height: 12, values: values.collect() };
        let compact = CompactProbabilities::new(&drawing, &probability, lowest);
        assert!(compact.values.len() < probability.values.len() / 2, "kept {} of {}", compact.values.len(), probability.values.len());
        let restored = compact.to_map();
        assert!(composite(&drawing, &restored, lowest).added[6 * 48 + 22], "the link closes at the lowest threshold");
        for step in 0..=70 {
            let threshold = lowest + step as f32 * 0.01;
            let (full, from_compact) = (composite(&drawing, &probability, threshold), composite(&drawing, &restored, threshold));
            assert_eq!(full.added, from_compact.added, "threshold {threshold}");
            assert_eq!(full.image, from_compact.image, "threshold {threshold}");
        }
    }

    #[test]
    fn fills_the_gap_in_the_colour_of_the_stroke_core() {
        let (drawing, probability) = gapped_red_stroke();
        let closure = composite(&drawing, &probability, DEFAULT_THRESHOLD);
        let out = closure.image.to_rgb8();
        for x in 8..11 {
            for y in 3..=5 {
                assert!(closure.added[y * 20 + x]);
                assert_eq!(out.get_pixel(x as u32, y as u32), &Rgb([200, 0, 0]));
            }
        }
    }

    #[test]
    fn keeps_original_ink_and_drops_islands_and_paper_beyond_the_stroke() {
        let (drawing, probability) = gapped_red_stroke();
        let closure = composite(&drawing, &probability, DEFAULT_THRESHOLD);
        let (before, after) = (drawing.image.to_rgb8(), closure.image.to_rgb8());
        for (i, (a, b)) in before.pixels().zip(after.pixels()).enumerate() {
            if drawing.darkness[i] >= INK_LEVEL {
                assert_eq!(a, b, "original ink changed at {i}");
            }
        }
        assert!(!closure.added[18], "stray island kept");
        assert_eq!(closure.added_pixels, closure.added.iter().filter(|&&a| a).count());
        assert_eq!(closure.added_pixels, 9);
    }

    #[test]
    fn drops_added_ink_that_bridges_nothing() {
        // A stroke that ends at x = 9 on purpose; the map extends it by six pixels and
        // thickens it above: each touches the stroke in one place only.
        let image = GrayImage::from_fn(20, 9, |x, y| Luma([if (3..=5).contains(&y) && x < 10 { 0 } else { 255 }]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..20 * 9)
            .map(|i| {
                let (x, y) = (i % 20, i / 20);
                let extension = (3..=5).contains(&y) && (10..16).contains(&x);
                let thickening = y == 2 && x < 8;
                if extension || thickening { 0.9 } else { 0.1 }
            })
            .collect();
        let closure = composite(&drawing, &ProbabilityMap { width: 20, height: 9, values }, DEFAULT_THRESHOLD);
        assert_eq!(closure.added_pixels, 0);
    }

    #[test]
    fn closes_a_line_whose_fringe_the_network_sees_as_ink() {
        // A long vertical 3 px line with a light anti-aliased fringe on its right, cut from row
        // 45 to 54; the map is sure of the line, its fringe and the gap all along. The gap
        // closes, and the fringe beside the ink is left as it was.
        let image = GrayImage::from_fn(24, 100, |x, y| {
            let cut = (45..55).contains(&y);
            Luma([match x {
                9..=11 if !cut => 0,
                12 if !cut => 145,
                _ => 255,
            }])
        });
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..24 * 100).map(|i| if (9..=12).contains(&(i % 24)) { 0.9 } else { 0.1 }).collect();
        let closure = composite(&drawing, &ProbabilityMap { width: 24, height: 100, values }, DEFAULT_THRESHOLD);
        let rows: Vec<usize> = (0..100).filter(|&y| (0..24).any(|x| closure.added[y * 24 + x])).collect();
        assert_eq!(rows, (45..55).collect::<Vec<_>>(), "added ink in rows {rows:?}");
        assert!((45..55).all(|y| closure.added[y * 24 + 10]), "the line's middle is not closed");
    }

    #[test]
    fn does_not_thicken_a_stroke_along_its_side() {
        // A stroke ends at x = 30; the map sees a strip along its underside that touches it
        // near its end and again further back, dipping away in between. Joining the two is no
        // gap: the ink already joins them a short way along.
        let image = GrayImage::from_fn(50, 30, |x, y| Luma([if (10..=12).contains(&y) && x <= 30 { 0 } else { 255 }]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..50 * 30)
            .map(|i| {
                let (x, y) = (i % 50, i / 50);
                let touching = y == 13 && ((10..=14).contains(&x) || (22..=31).contains(&x));
                let dip = y == 14 && (14..=22).contains(&x);
                let cap = x == 31 && (10..=13).contains(&y);
                if touching || dip || cap { 0.9 } else { 0.1 }
            })
            .collect();
        let closure = composite(&drawing, &ProbabilityMap { width: 50, height: 30, values }, DEFAULT_THRESHOLD);
        assert_eq!(closure.added_pixels, 0);
    }

    #[test]
    fn drops_bridges_between_the_sides_of_strokes() {
        // Two long parallel strokes 4 px apart, and a map that joins them in the middle: no
        // stroke ends there, so nothing is a gap.
        let image = GrayImage::from_fn(60, 20, |_, y| Luma([if (5..=7).contains(&y) || (12..=14).contains(&y) { 0 } else { 255 }]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..60 * 20)
            .map(|i| {
                let (x, y) = (i % 60, i / 60);
                if (8..12).contains(&y) && (27..33).contains(&x) { 0.9 } else { 0.1 }
            })
            .collect();
        let closure = composite(&drawing, &ProbabilityMap { width: 60, height: 20, values }, DEFAULT_THRESHOLD);
        assert_eq!(closure.added_pixels, 0);
    }

    #[test]
    fn closes_a_short_sure_break_between_forks_where_no_side_ends() {
        // Two forks whose stems meet head on across a 2 px break, each stem forking 6 px
        // from the break, so that neither side looks like a stroke's end (a break cut right
        // next to a junction). The network is sure of the break only.
        let fork = |x: i32, y: i32, tip: i32, towards: i32| {
            let along = (x - tip) * towards; // < 0 behind the tip
            let stem = (-6..=0).contains(&along) && (9..=11).contains(&y);
            let arm = along < -6 && ((y - 10).abs() - (-6 - along)).abs() <= 1;
            stem || arm
        };
        let image = GrayImage::from_fn(40, 21, |x, y| {
            let (x, y) = (x as i32, y as i32);
            Luma([if fork(x, y, 18, 1) || fork(x, y, 21, -1) { 0 } else { 255 }])
        });
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let map = |sure: f32| {
            let values = (0..40 * 21).map(|i| if (19..=20).contains(&(i % 40)) && (9..=11).contains(&(i / 40)) { sure } else { 0.1 }).collect();
            ProbabilityMap { width: 40, height: 21, values }
        };
        let closure = composite(&drawing, &map(0.9), DEFAULT_THRESHOLD);
        let added: Vec<(usize, usize)> = (0..40 * 21).filter(|&i| closure.added[i]).map(|i| (i % 40, i / 40)).collect();
        assert_eq!(added, [(19, 9), (20, 9), (19, 10), (20, 10), (19, 11), (20, 11)]);
        // Above the threshold but unsure: no stroke ends there, so it stays open.
        assert_eq!(composite(&drawing, &map(0.55), DEFAULT_THRESHOLD).added_pixels, 0);
    }

    /// How much a composite adds where a 5 px stem leaves a long stroke and stops `gap` px short
    /// of a second one, the network giving the break `sure` and everything else 0.1, and whether
    /// it closes the break.
    fn close_a_stem_short_of_a_stroke(gap: usize, sure: f32) -> (usize, bool) {
        let (width, height) = (28 + gap, 50);
        let break_columns = 18..18 + gap;
        let image = GrayImage::from_fn(width as u32, height as u32, |x, y| {
            let far_stroke = (18 + gap..=20 + gap).contains(&(x as usize));
            let strokes = (5..45).contains(&y) && ((10..=12).contains(&x) || far_stroke);
            let stem = (24..=26).contains(&y) && (13..=17).contains(&x);
            Luma([if strokes || stem { 0 } else { 255 }])
        });
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..width * height)
            .map(|i| if break_columns.contains(&(i % width)) && (24..=26).contains(&(i / width)) { sure } else { 0.1 })
            .collect();
        let closure = composite(&drawing, &ProbabilityMap { width, height, values }, DEFAULT_THRESHOLD);
        let closed = break_columns.clone().all(|x| closure.added[25 * width + x]);
        (closure.added_pixels, closed)
    }

    #[test]
    fn closes_a_sure_four_pixel_break_at_a_stub_next_to_a_junction() {
        // The stem is too short to pass the end ring before its junction, so only its skeleton
        // says it ends. The network is sure of the break only.
        assert!(close_a_stem_short_of_a_stroke(4, 0.9).1, "the break stays open");
        // Above the threshold but unsure: only a stroke's end may bridge that.
        assert_eq!(close_a_stem_short_of_a_stroke(4, 0.55).0, 0);
    }

    #[test]
    fn closes_a_sure_eight_pixel_break_from_a_short_end_next_to_a_junction() {
        // Too far for a stub, near enough for a short end: its ink ends 3 px beyond its
        // half-width, though it meets its junction within the end ring, as strokes do in small
        // characters. Only a sure network closes it.
        assert!(close_a_stem_short_of_a_stroke(8, 0.9).1, "the break stays open");
        // Sure enough for a stub's 4 px, not for a short end's 8 px.
        assert_eq!(close_a_stem_short_of_a_stroke(8, 0.7).0, 0);
    }

    #[test]
    fn a_wide_stroke_closes_only_where_the_network_is_surer() {
        // A 3 px and a 7 px stroke, each with a 4 px gap the network gives `p`: above the
        // threshold, the thin one closes; the wide one, whose false closure would be a blob,
        // only when the network is surer.
        let image = GrayImage::from_fn(40, 30, |x, y| {
            let thin = (4..=6).contains(&y);
            let wide = (15..=21).contains(&y);
            Luma([if (thin || wide) && !(18..22).contains(&x) { 0 } else { 255 }])
        });
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let closed = |p: f32| {
            let values = (0..40 * 30).map(|i| if (18..22).contains(&(i % 40)) && ((4..=6).contains(&(i / 40)) || (15..=21).contains(&(i / 40))) { p } else { 0.1 }).collect();
            let closure = composite(&drawing, &ProbabilityMap { width: 40, height: 30, values }, DEFAULT_THRESHOLD);
            (closure.added[5 * 40 + 20], closure.added[18 * 40 + 20])
        };
        assert_eq!(closed(0.55), (true, false));
        assert_eq!(closed(0.9), (true, true));
    }

    #[test]
    fn a_branch_closes_as_wide_as_itself_on_a_wider_stroke() {
        // A 3 px branch coming down from the top stops 4 px short of a 13 px band; the map
        // is sure of a 13 px wide blob between them. The closure is the branch's width.
        let image = GrayImage::from_fn(40, 40, |x, y| {
            let branch = (19..=21).contains(&x) && y < 14;
            let band = (18..=30).contains(&y);
            Luma([if branch || band { 0 } else { 255 }])
        });
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let values = (0..40 * 40).map(|i| if (14..18).contains(&(i / 40)) && (14..27).contains(&(i % 40)) { 0.9 } else { 0.1 }).collect();
        let closure = composite(&drawing, &ProbabilityMap { width: 40, height: 40, values }, DEFAULT_THRESHOLD);
        let columns: Vec<usize> = (0..40).filter(|&x| (14..18).any(|y| closure.added[y * 40 + x])).collect();
        assert_eq!(columns, [19, 20, 21], "added ink in columns {columns:?}");
        assert_eq!(closure.added_pixels, 12);
    }

    #[test]
    fn a_gap_the_network_only_leans_to_closes_on_a_link_between_stroke_ends() {
        // A 3 px stroke broken for 6 px: its two ends face each other, so the break is a link,
        // and there paper closes from a share of the threshold.
        let image = GrayImage::from_fn(48, 12, |x, y| Luma([if (5..=7).contains(&y) && !(20..26).contains(&x) { 0 } else { 255 }]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
        let added_in_gap = |p: f32| {
            let values = (0..48 * 12).map(|i| if (20..26).contains(&(i % 48)) && (5..=7).contains(&(i / 48)) { p } else { 0.05 }).collect();
            let closure = composite(&drawing, &ProbabilityMap { width: 48, height: 12, values }, DEFAULT_THRESHOLD);
            (20..26).all(|x| closure.added[6 * 48 + x])
        };
        let link_threshold = DEFAULT_THRESHOLD * LINK_THRESHOLD_SHARE;
        assert!(added_in_gap(link_threshold + 0.02), "closed under the threshold on the link");
        assert!(!added_in_gap(link_threshold - 0.02), "closed under the link threshold");
    }

    #[test]
    fn recompositing_a_drawing_matches_compositing_a_fresh_one() {
        // The drawing keeps its links after the first composite (the slider's re-composite).
        let (drawing, probability) = gapped_red_stroke();
        let (fresh, _) = gapped_red_stroke();
        composite(&drawing, &probability, 0.2);
        assert_eq!(composite(&drawing, &probability, 0.6).added, composite(&fresh, &probability, 0.6).added);
    }

    #[test]
    fn threshold_controls_what_is_added() {
        // The map at half its certainty: under the link threshold of a high threshold.
        let (drawing, mut probability) = gapped_red_stroke();
        probability.values.iter_mut().for_each(|p| *p *= 0.5);
        assert!(composite(&drawing, &probability, 0.3).added_pixels > 0);
        assert_eq!(composite(&drawing, &probability, 0.95).added_pixels, 0);
    }
}
