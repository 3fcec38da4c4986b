//! Quality measures on drawings with known gaps: closure per gap and per kind, region
//! recovery (the bucket-fill leak test), false ink per megapixel and lost original ink.

use std::collections::BTreeMap;

use crate::engine::INK_LEVEL;
use crate::engine::mask::{border_regions, connected, dilate, paper_regions};
use crate::synth::{Gap, GapKind};

/// Background regions smaller than this are specks, not areas a colourist fills.
const MIN_REGION: usize = 64;
/// A region counts as recovered when the output has a region this similar to it.
const REGION_IOU: f64 = 0.9;
/// Added ink this close to the clean drawing's ink is a closure, farther away it is false ink.
const FALSE_INK_DISTANCE: usize = 2;
/// Strokes at most this many pixels across are thin: the 1–2 px pencil lines of genga, where
/// the network is least sure (models/experiments.md, phase 9).
pub const THIN_STROKE: f32 = 2.0;

/// Darkness planes (0 = paper, 255 = ink) of one evaluated drawing.
pub struct Case<'a> {
    pub width: usize,
    pub height: usize,
    pub clean: &'a [u8],
    pub gapped: &'a [u8],
    pub output: &'a [u8],
    pub gaps: &'a [Gap],
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    pub gaps: usize,
    pub closed: usize,
    pub per_kind: BTreeMap<GapKind, (usize, usize)>,
    /// Closed and total gaps cut in thin strokes (see [`THIN_STROKE`]).
    pub thin: (usize, usize),
    pub regions: usize,
    pub recovered: usize,
    pub false_ink: usize,
    pub lost_ink: usize,
    pub pixels: usize,
}

impl Scores {
    pub fn closure(&self) -> f64 {
        ratio(self.closed, self.gaps)
    }

    pub fn region_recovery(&self) -> f64 {
        ratio(self.recovered, self.regions)
    }

    pub fn false_ink_per_megapixel(&self) -> f64 {
        self.false_ink as f64 * 1e6 / self.pixels.max(1) as f64
    }

    pub fn kind_closure(&self, kind: GapKind) -> Option<f64> {
        self.per_kind.get(&kind).map(|&(closed, total)| ratio(closed, total))
    }

    /// Closure of the gaps cut in thin strokes, the pencil lines of genga.
    pub fn thin_closure(&self) -> Option<f64> {
        (self.thin.1 > 0).then(|| ratio(self.thin.0, self.thin.1))
    }

    pub fn add(&mut self, other: &Scores) {
        self.gaps += other.gaps;
        self.closed += other.closed;
        self.thin.0 += other.thin.0;
        self.thin.1 += other.thin.1;
        for (kind, (closed, total)) in &other.per_kind {
            let entry = self.per_kind.entry(*kind).or_default();
            entry.0 += closed;
            entry.1 += total;
        }
        self.regions += other.regions;
        self.recovered += other.recovered;
        self.false_ink += other.false_ink;
        self.lost_ink += other.lost_ink;
        self.pixels += other.pixels;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

pub fn score(case: &Case) -> Scores {
    let ink = |plane: &[u8]| plane.iter().map(|&d| d >= INK_LEVEL).collect::<Vec<bool>>();
    let (clean, gapped, output) = (ink(case.clean), ink(case.gapped), ink(case.output));
    let (w, h) = (case.width, case.height);
    let mut scores = Scores { gaps: case.gaps.len(), pixels: w * h, ..Default::default() };
    for gap in case.gaps {
        let closed = is_closed(&output, w, gap);
        let entry = scores.per_kind.entry(gap.kind).or_default();
        entry.1 += 1;
        let thin = gap.stroke_width <= THIN_STROKE;
        scores.thin.1 += thin as usize;
        if closed {
            entry.0 += 1;
            scores.closed += 1;
            scores.thin.0 += thin as usize;
        }
    }
    let near_clean = dilate(&clean, w, h, FALSE_INK_DISTANCE);
    scores.false_ink = (0..w * h).filter(|&i| output[i] && !gapped[i] && !near_clean[i]).count();
    scores.lost_ink = (0..w * h).filter(|&i| gapped[i] && case.output[i] != case.gapped[i]).count();
    let (clean_labels, clean_sizes) = paper_regions(&clean, w, h);
    let (out_labels, out_sizes) = paper_regions(&output, w, h);
    let mut overlap: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for i in 0..w * h {
        if clean_labels[i] != 0 && out_labels[i] != 0 {
            *overlap.entry((clean_labels[i], out_labels[i])).or_default() += 1;
        }
    }
    let touches_border = border_regions(&clean_labels, w, h);
    for (label, &size) in clean_sizes.iter().enumerate().skip(1) {
        if size < MIN_REGION || touches_border[label] {
            continue;
        }
        scores.regions += 1;
        let best = overlap
            .range((label as u32, 0)..(label as u32 + 1, 0))
            .map(|(&(_, o), &inter)| inter as f64 / (size + out_sizes[o as usize] - inter) as f64)
            .fold(0.0, f64::max);
        if best >= REGION_IOU {
            scores.recovered += 1;
        }
    }
    scores
}

/// Whether the two sides of `gap` are joined by `ink` inside its window.
pub fn is_closed(ink: &[bool], width: usize, gap: &Gap) -> bool {
    connected(|x, y| ink[y * width + x], gap.window, gap.side_a, gap.side_b)
}

/// The network's certainty of its surest way across `gap`: over every path between the two
/// sides inside the gap's window, the highest lowest `probability` on it, with `ink` counting
/// as certain. A missed gap with a high value was seen by the network and refused by the
/// composite; with a low one, the network did not see it.
pub fn surest_crossing(probability: &[f32], ink: &[bool], width: usize, gap: &Gap) -> f32 {
    let (x0, y0, x1, y1) = gap.window;
    let certainty = |x: usize, y: usize| if ink[y * width + x] { 1.0 } else { probability[y * width + x] };
    let index = |(x, y): (usize, usize)| (y - y0) * (x1 - x0) + x - x0;
    let mut best = vec![f32::NEG_INFINITY; (x1 - x0) * (y1 - y0)];
    let mut frontier = std::collections::BinaryHeap::new();
    best[index(gap.side_a)] = certainty(gap.side_a.0, gap.side_a.1);
    // Certainties are never negative, so their bit patterns sort like the numbers.
    frontier.push((best[index(gap.side_a)].to_bits(), gap.side_a));
    while let Some((bits, (x, y))) = frontier.pop() {
        let value = f32::from_bits(bits);
        if (x, y) == gap.side_b {
            return value;
        }
        if value < best[index((x, y))] {
            continue;
        }
        for ny in y.saturating_sub(1).max(y0)..(y + 2).min(y1) {
            for nx in x.saturating_sub(1).max(x0)..(x + 2).min(x1) {
                let next = value.min(certainty(nx, ny));
                if next > best[index((nx, ny))] {
                    best[index((nx, ny))] = next;
                    frontier.push((next.to_bits(), (nx, ny)));
                }
            }
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 20×20 square outline with a 2 px gap on its top edge.
    fn square(gap: bool) -> Vec<u8> {
        (0..400)
            .map(|i| {
                let (x, y) = (i % 20, i / 20);
                let edge = (x == 3 || x == 16 || y == 3 || y == 16) && (3..=16).contains(&x) && (3..=16).contains(&y);
                let cut = gap && y == 3 && (9..11).contains(&x);
                if edge && !cut { 255 } else { 0 }
            })
            .collect()
    }

    fn gap() -> Gap {
        Gap { kind: GapKind::Straight, length: 2.0, stroke_width: 1.0, side_a: (8, 3), side_b: (11, 3), window: (5, 0, 15, 7) }
    }

    #[test]
    fn the_surest_crossing_is_the_weakest_pixel_of_the_best_way_across() {
        let ink: Vec<bool> = square(true).iter().map(|&d| d >= INK_LEVEL).collect();
        let mut probability = vec![0.0f32; 400];
        // Straight across the gap at 0.3; one row up at 0.7, but 0.2 at one pixel: the straight
        // way is surer until that pixel is sure too.
        (probability[69], probability[70]) = (0.3, 0.3);
        (probability[49], probability[50]) = (0.7, 0.2);
        assert_eq!(surest_crossing(&probability, &ink, 20, &gap()), 0.3);
        probability[50] = 0.9;
        assert_eq!(surest_crossing(&probability, &ink, 20, &gap()), 0.7);
        assert_eq!(surest_crossing(&vec![0.0; 400], &ink, 20, &gap()), 0.0);
    }

    #[test]
    fn identity_leaks_and_a_closure_recovers() {
        let (clean, gapped) = (square(false), square(true));
        let gaps = [gap()];
        let case = |output: &[u8]| score(&Case { width: 20, height: 20, clean: &clean, gapped: &gapped, output, gaps: &gaps }).clone();
        let leaky = case(&gapped);
        assert_eq!((leaky.closed, leaky.regions, leaky.recovered), (0, 1, 0));
        let fixed = case(&clean);
        assert_eq!((fixed.closed, fixed.recovered, fixed.false_ink, fixed.lost_ink), (1, 1, 0, 0));
        assert_eq!((leaky.thin_closure(), fixed.thin_closure()), (Some(0.0), Some(1.0)), "a 1 px stroke is thin");
        let wide = [Gap { stroke_width: 3.0, ..gap() }];
        let wide = score(&Case { width: 20, height: 20, clean: &clean, gapped: &gapped, output: &clean, gaps: &wide });
        assert_eq!((wide.closed, wide.thin_closure()), (1, None), "a 3 px stroke is not");
    }

    #[test]
    fn counts_false_and_lost_ink() {
        let (clean, gapped) = (square(false), square(true));
        let mut output = clean.clone();
        output[10 * 20 + 10] = 255; // a blob in the middle of the region
        output[3 * 20 + 3] = 100; // an original ink pixel changed
        let gaps = [gap()];
        let s = score(&Case { width: 20, height: 20, clean: &clean, gapped: &gapped, output: &output, gaps: &gaps });
        assert_eq!((s.false_ink, s.lost_ink), (1, 1));
    }

}
