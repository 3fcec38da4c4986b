//! Cutting realistic gaps into clean line art: mid-stroke breaks on straight and curved
//! strokes, breaks at corners, near-miss junctions (a stroke stopping short of the one it
//! meets) and pen lifts that taper out before arriving. Works on any raster drawing, so the
//! same cuts serve procedural training data, the user's own drawings and the evaluation set.

use std::f32::consts::PI;

use super::canvas::INK_DARKNESS;
use super::{Canvas, Rng};
use crate::engine::mask::connected;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapKind {
    Straight,
    Curved,
    Corner,
    Junction,
    Taper,
}

impl GapKind {
    pub const ALL: [GapKind; 5] = [Self::Straight, Self::Curved, Self::Corner, Self::Junction, Self::Taper];

    pub fn name(self) -> &'static str {
        match self {
            Self::Straight => "straight",
            Self::Curved => "curved",
            Self::Corner => "corner",
            Self::Junction => "junction",
            Self::Taper => "taper",
        }
    }
}

/// One cut: its kind, length along the stroke, an ink pixel on each side and the window in
/// which the two sides must be joined again for the gap to count as closed.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub kind: GapKind,
    pub length: f32,
    /// Pixels across the stroke where it was cut.
    pub stroke_width: f32,
    pub side_a: (usize, usize),
    pub side_b: (usize, usize),
    /// `x0, y0, x1, y1`, exclusive end.
    pub window: (usize, usize, usize, usize),
}

/// How [`cut_gaps`] picks the places to cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitePicking {
    /// Random ink pixels, turning down the common kinds while they lead. Cheap; the dev set is
    /// cut this way (changing it would change the set).
    Random,
    /// Classifies every ink pixel first and always cuts at the rarest kind the drawing offers.
    /// Corners hold few ink pixels, so in small training patches random picking leaves them
    /// under 4 % of the gaps.
    RarestKind,
}

/// Cuts up to `count` gaps of 1 to `max_length` px into `clean`, spreading the kinds evenly.
/// Returns the cut drawing and the gaps that were verified to disconnect their stroke.
pub fn cut_gaps(clean: &Canvas, count: usize, max_length: f32, picking: SitePicking, rng: &mut Rng) -> (Canvas, Vec<Gap>) {
    let mut cut = clean.clone();
    let mut gaps: Vec<Gap> = Vec::new();
    let ink: Vec<usize> = (0..clean.darkness.len()).filter(|&i| clean.darkness[i] >= INK_DARKNESS).collect();
    if ink.is_empty() {
        return (cut, gaps);
    }
    let mut per_kind = [0usize; 5];
    let by_kind = (picking == SitePicking::RarestKind).then(|| ink_by_kind(clean, &ink, rng));
    if by_kind.as_ref().is_some_and(|by_kind| by_kind.iter().all(Vec::is_empty)) {
        // No stroke to cut (say, a patch of solid black only).
        return (cut, gaps);
    }
    let mut centres: Vec<(f32, f32, f32)> = Vec::new();
    for _ in 0..count * 30 {
        if gaps.len() >= count {
            break;
        }
        let p = match &by_kind {
            None => ink[rng.below(0, ink.len())],
            Some(by_kind) => {
                let rarest = (0..by_kind.len())
                    .filter(|&k| !by_kind[k].is_empty())
                    .min_by_key(|&k| (per_kind[k], rng.below(0, 1000)))
                    .expect("an ink pixel of some kind");
                by_kind[rarest][rng.below(0, by_kind[rarest].len())]
            }
        };
        let (px, py) = ((p % clean.width) as f32 + 0.5, (p / clean.width) as f32 + 0.5);
        let Some(site) = Site::at(clean, px, py) else { continue };
        let mut kind = site.kind();
        if matches!(kind, GapKind::Straight | GapKind::Curved) && rng.chance(0.3) {
            kind = GapKind::Taper;
        }
        let fewest = per_kind.iter().min().copied().unwrap_or(0);
        if per_kind[kind as usize] > fewest + 1 && !rng.chance(0.15) {
            continue;
        }
        let length = 1.0 + (max_length - 1.0) * rng.unit().powf(1.3);
        let spacing = 2.0 * (length + site.width) + 10.0;
        if centres.iter().any(|&(x, y, s)| (x - site.x).hypot(y - site.y) < spacing.max(s)) {
            continue;
        }
        let before = cut.clone();
        let Some((a, b)) = site.cut(&mut cut, kind, length, rng) else {
            cut = before;
            continue;
        };
        match verify(clean, &cut, a, b, site.width + length) {
            Some(gap) => {
                per_kind[kind as usize] += 1;
                centres.push((site.x, site.y, spacing));
                gaps.push(Gap { kind, length, stroke_width: site.width, ..gap });
            }
            None => cut = before,
        }
    }
    (cut, gaps)
}

/// Up to this many random ink pixels are classified: plenty to find the corners, and cheap
/// next to a training step.
const CLASSIFIED_PIXELS: usize = 768;

/// Random ink pixels by the kind of site they sit on (straight, curved, corner, junction;
/// tapers are cut on straight and curved sites).
fn ink_by_kind(clean: &Canvas, ink: &[usize], rng: &mut Rng) -> [Vec<usize>; 4] {
    let mut by_kind: [Vec<usize>; 4] = Default::default();
    for _ in 0..CLASSIFIED_PIXELS.min(ink.len()) {
        let p = ink[rng.below(0, ink.len())];
        let (px, py) = ((p % clean.width) as f32 + 0.5, (p / clean.width) as f32 + 0.5);
        if let Some(site) = Site::at(clean, px, py) {
            by_kind[site.kind() as usize].push(p);
        }
    }
    by_kind
}

/// A point on the middle of a stroke, with its width and the directions in which ink leaves
/// a ring around it (two for a stroke, three or more at a junction).
struct Site {
    x: f32,
    y: f32,
    width: f32,
    exits: Vec<f32>,
}

impl Site {
    fn at(canvas: &Canvas, px: f32, py: f32) -> Option<Self> {
        let (nx, ny) = stroke_normal(canvas, px, py)?;
        let reach = |sign: f32| {
            let mut t = 0.0;
            while t < 10.0 && canvas.sample(px + sign * nx * (t + 0.5) - 0.5, py + sign * ny * (t + 0.5) - 0.5) >= INK_DARKNESS {
                t += 0.5;
            }
            t
        };
        let (a, b) = (reach(1.0), reach(-1.0));
        if a >= 10.0 || b >= 10.0 {
            return None; // a solid area, not a line
        }
        let (x, y) = (px + nx * (a - b) / 2.0, py + ny * (a - b) / 2.0);
        let width = a + b + 1.0;
        let radius = width.max(3.0) + 3.0;
        let exits = ring_exits(canvas, x, y, radius);
        (exits.len() >= 2).then_some(Self { x, y, width, exits })
    }

    fn kind(&self) -> GapKind {
        if self.exits.len() >= 3 {
            return GapKind::Junction;
        }
        let turn = angle_between(self.exits[0], self.exits[1]);
        if turn > 155f32.to_radians() {
            GapKind::Straight
        } else if turn > 115f32.to_radians() {
            GapKind::Curved
        } else {
            GapKind::Corner
        }
    }

    /// Erases the gap and returns a pixel on each side of it.
    fn cut(&self, canvas: &mut Canvas, kind: GapKind, length: f32, rng: &mut Rng) -> Option<((f32, f32), (f32, f32))> {
        let half = length / 2.0;
        match kind {
            GapKind::Straight | GapKind::Curved | GapKind::Taper => {
                let (a, b) = (self.exits[0], self.exits[1]);
                let (dx, dy) = ((b.cos() - a.cos()), (b.sin() - a.sin()));
                let norm = dx.hypot(dy);
                let d = (dx / norm, dy / norm);
                erase_band(canvas, (self.x, self.y), d, -half, half, self.width / 2.0 + 1.5);
                if kind == GapKind::Taper {
                    let taper = rng.range(1.5, 3.0) * self.width.max(2.0);
                    thin_towards(canvas, (self.x, self.y), d, half, taper, self.width / 2.0 + 1.0);
                }
                let side = half + 1.0;
                Some(((self.x + d.0 * side, self.y + d.1 * side), (self.x - d.0 * side, self.y - d.1 * side)))
            }
            GapKind::Corner => {
                let radius = half + self.width / 2.0;
                canvas_erase_disc(canvas, self.x, self.y, radius);
                let side = radius + 1.5;
                let (a, b) = (self.exits[0], self.exits[1]);
                Some(((self.x + a.cos() * side, self.y + a.sin() * side), (self.x + b.cos() * side, self.y + b.sin() * side)))
            }
            GapKind::Junction => {
                // One branch stops short of the stroke it should meet.
                let branch = self.exits[rng.below(0, self.exits.len())];
                let d = (branch.cos(), branch.sin());
                let start = self.width / 2.0 + 0.5;
                erase_band(canvas, (self.x, self.y), d, start, start + length, self.width / 2.0 + 1.5);
                let side = start + length + 1.0;
                Some(((self.x + d.0 * side, self.y + d.1 * side), (self.x, self.y)))
            }
        }
    }
}

fn angle_between(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(2.0 * PI);
    d.min(2.0 * PI - d)
}

/// Unit normal to the stroke through `(x, y)` from the local structure tensor.
fn stroke_normal(canvas: &Canvas, x: f32, y: f32) -> Option<(f32, f32)> {
    let (cx, cy) = (x.floor() as i64, y.floor() as i64);
    let (mut jxx, mut jxy, mut jyy) = (0.0, 0.0, 0.0);
    for dy in -3..=3 {
        for dx in -3..=3 {
            let (px, py) = (cx + dx, cy + dy);
            let gx = canvas.get(px + 1, py) - canvas.get(px - 1, py);
            let gy = canvas.get(px, py + 1) - canvas.get(px, py - 1);
            jxx += gx * gx;
            jxy += gx * gy;
            jyy += gy * gy;
        }
    }
    if jxx + jyy < 1e-3 {
        return None;
    }
    let theta = 0.5 * (2.0 * jxy).atan2(jxx - jyy);
    Some((theta.cos(), theta.sin()))
}

/// Directions (radians) of the middles of the ink runs crossing a circle.
fn ring_exits(canvas: &Canvas, x: f32, y: f32, radius: f32) -> Vec<f32> {
    let n = ((2.0 * PI * radius * 2.0) as usize).max(32);
    let on: Vec<bool> = (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * 2.0 * PI;
            canvas.sample(x + a.cos() * radius - 0.5, y + a.sin() * radius - 0.5) >= INK_DARKNESS
        })
        .collect();
    let Some(start) = (0..n).find(|&i| !on[i]) else { return Vec::new() };
    let mut exits = Vec::new();
    let mut run_start = None;
    for k in 1..=n {
        let i = (start + k) % n;
        match (on[i], run_start) {
            (true, None) => run_start = Some(k),
            (false, Some(s)) => {
                let middle = (start as f32 + (s + k - 1) as f32 / 2.0) / n as f32 * 2.0 * PI;
                exits.push(middle);
                run_start = None;
            }
            _ => {}
        }
    }
    exits
}

fn erase_band(canvas: &mut Canvas, centre: (f32, f32), d: (f32, f32), from: f32, to: f32, half_width: f32) {
    let reach = from.abs().max(to.abs()) + half_width + 2.0;
    for_each_near(canvas, centre, reach, |canvas, i, qx, qy| {
        let (rx, ry) = (qx - centre.0, qy - centre.1);
        let (u, v) = (rx * d.0 + ry * d.1, -rx * d.1 + ry * d.0);
        if v.abs() <= half_width {
            let outside = (from - u).max(u - to);
            canvas.darkness[i] *= outside.clamp(0.0, 1.0);
        }
    });
}

/// Thins the stroke on the `d` side of the gap so that it tapers to nothing at `start`.
fn thin_towards(canvas: &mut Canvas, centre: (f32, f32), d: (f32, f32), start: f32, length: f32, half_width: f32) {
    for_each_near(canvas, centre, start + length + half_width + 2.0, |canvas, i, qx, qy| {
        let (rx, ry) = (qx - centre.0, qy - centre.1);
        let (u, v) = (rx * d.0 + ry * d.1, -rx * d.1 + ry * d.0);
        if u > start && u < start + length && v.abs() <= half_width + 1.0 {
            let allowed = half_width * (u - start) / length;
            canvas.darkness[i] *= (allowed + 0.5 - v.abs()).clamp(0.0, 1.0);
        }
    });
}

fn canvas_erase_disc(canvas: &mut Canvas, x: f32, y: f32, radius: f32) {
    for_each_near(canvas, (x, y), radius + 1.0, |canvas, i, qx, qy| {
        let distance = (qx - x).hypot(qy - y);
        canvas.darkness[i] *= (distance - radius).clamp(0.0, 1.0);
    });
}

fn for_each_near(canvas: &mut Canvas, centre: (f32, f32), reach: f32, mut f: impl FnMut(&mut Canvas, usize, f32, f32)) {
    let x0 = (centre.0 - reach).floor().max(0.0) as usize;
    let y0 = (centre.1 - reach).floor().max(0.0) as usize;
    let x1 = ((centre.0 + reach).ceil().max(0.0) as usize).min(canvas.width);
    let y1 = ((centre.1 + reach).ceil().max(0.0) as usize).min(canvas.height);
    for y in y0..y1 {
        for x in x0..x1 {
            f(canvas, y * canvas.width + x, x as f32 + 0.5, y as f32 + 0.5);
        }
    }
}

/// Accepts a cut only if both sides are ink, they are joined in the clean drawing and
/// separated in the cut one within the gap's window.
fn verify(clean: &Canvas, cut: &Canvas, a: (f32, f32), b: (f32, f32), extent: f32) -> Option<Gap> {
    let a = snap_to_ink(cut, a)?;
    let b = snap_to_ink(cut, b)?;
    let pad = extent + 4.0;
    let x0 = ((a.0.min(b.0) as f32 - pad).max(0.0)) as usize;
    let y0 = ((a.1.min(b.1) as f32 - pad).max(0.0)) as usize;
    let x1 = ((a.0.max(b.0) as f32 + pad + 1.0) as usize).min(cut.width);
    let y1 = ((a.1.max(b.1) as f32 + pad + 1.0) as usize).min(cut.height);
    let window = (x0, y0, x1, y1);
    let joined = |canvas: &Canvas| connected(|x, y| canvas.is_ink(x as i64, y as i64), window, a, b);
    (joined(clean) && !joined(cut)).then_some(Gap { kind: GapKind::Straight, length: 0.0, stroke_width: 0.0, side_a: a, side_b: b, window })
}

fn snap_to_ink(canvas: &Canvas, (x, y): (f32, f32)) -> Option<(usize, usize)> {
    let (cx, cy) = (x.floor() as i64, y.floor() as i64);
    let mut best = None;
    let mut best_distance = f32::MAX;
    for dy in -2..=2i64 {
        for dx in -2..=2i64 {
            let (px, py) = (cx + dx, cy + dy);
            let distance = ((dx * dx + dy * dy) as f32).sqrt();
            if canvas.is_ink(px, py) && distance < best_distance {
                best = Some((px as usize, py as usize));
                best_distance = distance;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::drawing::procedural;

    #[test]
    fn cuts_verified_gaps_of_every_kind() {
        let mut rng = Rng::new(7);
        let mut seen = std::collections::BTreeSet::new();
        let mut total = 0;
        for _ in 0..40 {
            let clean = procedural(192, &mut rng);
            let (cut, gaps) = cut_gaps(&clean, 6, 16.0, SitePicking::Random, &mut rng);
            for gap in &gaps {
                assert!((1.0..=16.0).contains(&gap.length));
                let clean_ink = |x: usize, y: usize| clean.is_ink(x as i64, y as i64);
                let cut_ink = |x: usize, y: usize| cut.is_ink(x as i64, y as i64);
                assert!(connected(clean_ink, gap.window, gap.side_a, gap.side_b));
                assert!(!connected(cut_ink, gap.window, gap.side_a, gap.side_b));
                seen.insert(gap.kind);
            }
            total += gaps.len();
            assert!(cut.darkness.iter().zip(&clean.darkness).all(|(c, k)| c <= k), "cutting only removes ink");
        }
        assert!(total > 80, "only {total} gaps");
        assert_eq!(seen.len(), 5, "kinds seen: {seen:?}");
    }

    #[test]
    fn rarest_kind_picking_gives_corners_their_share() {
        let corner_share = |picking| {
            let mut rng = Rng::new(3);
            let (mut corners, mut total) = (0, 0);
            for _ in 0..60 {
                let clean = procedural(192, &mut rng);
                let (_, gaps) = cut_gaps(&clean, 6, 16.0, picking, &mut rng);
                corners += gaps.iter().filter(|g| g.kind == GapKind::Corner).count();
                total += gaps.len();
            }
            corners as f64 / total as f64
        };
        let (random, rarest) = (corner_share(SitePicking::Random), corner_share(SitePicking::RarestKind));
        assert!(rarest > 0.12 && rarest > 2.0 * random, "corner share: random {random:.3}, rarest kind {rarest:.3}");
    }

    #[test]
    fn a_drawing_without_strokes_gets_no_gaps() {
        // Solid black only: ink, but no stroke whose sides could be cut.
        let mut clean = Canvas::new(64, 64);
        clean.stamp(32.0, 32.0, 100.0, 1.0, false);
        for picking in [SitePicking::Random, SitePicking::RarestKind] {
            let (cut, gaps) = cut_gaps(&clean, 6, 16.0, picking, &mut Rng::new(1));
            assert!(gaps.is_empty());
            assert_eq!(cut.darkness, clean.darkness);
        }
    }
}
