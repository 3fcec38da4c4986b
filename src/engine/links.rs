//! Where a closure most likely runs, from the drawing's geometry alone: straight links from
//! each stroke's end, along the stroke and a little to either side, to the ink it points at,
//! and between two ends that face each other. The network is often unsure of a gap in a thin
//! line or at a corner (it sees the drawing in 4×4 blocks) yet still leans towards the way
//! across; on these links the composite accepts that weaker certainty (models/experiments.md,
//! "Links between stroke ends"). The ends themselves tell the bridge rules where a short stroke
//! ends next to a junction.

use super::bridge::neighbours;

/// Thinning stops after this many rounds, each peeling a pixel off either side: strokes up to
/// 24 px across (the widest line is 14 px) become skeletons, and solid black areas are left
/// alone rather than cost a round per pixel of their size.
const MAX_THINNING_ROUNDS: usize = 12;
/// How far back along its skeleton an end's direction is measured, in skeleton steps.
const DIRECTION_STEPS: usize = 8;
/// Ends whose skeleton runs back fewer steps than this are specks, not strokes.
const MIN_DIRECTION_STEPS: usize = 3;
/// Rays leave an end along its stroke and this many radians (20°) to either side: an end's
/// direction is measured over a few pixels only. Wider fans found more corners and closed more
/// of the openings an artist left (models/experiments.md).
const RAY_ANGLES: [f32; 3] = [0.0, 0.35, -0.35];
/// A link crosses at most this many pixels of paper: the longest gap (16 px).
const MAX_LINK_PAPER: usize = 16;
/// A ray gives up after this many pixels, its own stroke's tip included: an end lies at most
/// half the widest line (7 px) inside its tip.
const MAX_RAY_LENGTH: usize = MAX_LINK_PAPER + 16;
/// Two ends are linked when they lie this close (px)...
const MAX_PAIR_DISTANCE: f32 = 20.0;
/// ...and each points at least this much towards the other (the cosine of 73°): the ends of
/// hatching lie side by side, not facing.
const MIN_FACING: f32 = 0.3;
/// Pixels this close (px) to a skeleton's end are near it: the tip of a line up to 5 px wide.
const NEAR_END_RADIUS: i64 = 3;

/// What the drawing's stroke ends say, one flag per pixel each.
pub struct EndGeometry {
    /// The paper on some link.
    pub links: Vec<bool>,
    /// Near a skeleton's end ([`NEAR_END_RADIUS`]).
    pub near_end: Vec<bool>,
}

/// The links and end neighbourhoods of the original `ink`.
pub fn end_geometry(ink: &[bool], width: usize, height: usize) -> EndGeometry {
    let skeleton = skeleton(ink, width, height);
    let ends = stroke_ends(&skeleton, width, height);
    let mut links = vec![false; ink.len()];
    let mut mark = |pixels: &[(i64, i64)]| {
        for &(x, y) in pixels {
            links[y as usize * width + x as usize] = true;
        }
    };
    for end in &ends {
        for angle in RAY_ANGLES {
            if let Some(paper) = ray(end, angle, ink, width, height) {
                mark(&paper);
            }
        }
    }
    for (a, b) in facing_pairs(&ends, width, height) {
        if let Some(paper) = segment_paper(a, b, ink, width) {
            mark(&paper);
        }
    }
    EndGeometry { links, near_end: near_ends(&ends, width, height) }
}

/// One flag per pixel: within [`NEAR_END_RADIUS`] of one of the `ends`.
fn near_ends(ends: &[End], width: usize, height: usize) -> Vec<bool> {
    let mut near = vec![false; width * height];
    let r = NEAR_END_RADIUS;
    for end in ends {
        for dy in -r..=r {
            for dx in -r..=r {
                let (x, y) = (end.x as i64 + dx, end.y as i64 + dy);
                if dx * dx + dy * dy <= r * r && x >= 0 && y >= 0 && (x as usize) < width && (y as usize) < height {
                    near[y as usize * width + x as usize] = true;
                }
            }
        }
    }
    near
}

/// A stroke's end on its skeleton and the unit direction the stroke was heading in.
#[derive(Clone, Copy, Debug, PartialEq)]
struct End {
    x: f32,
    y: f32,
    dx: f32,
    dy: f32,
}

/// Neighbour offsets in ring order (N, NE, E, SE, S, SW, W, NW), as thinning needs them.
const RING: [(i64, i64); 8] = [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)];

/// Which of the 8 ring neighbours of `(x, y)` are set, as bits in [`RING`] order.
fn ring_bits(mask: &[bool], width: usize, height: usize, x: usize, y: usize) -> u8 {
    let mut bits = 0;
    for (bit, (dx, dy)) in RING.iter().enumerate() {
        let (nx, ny) = (x as i64 + dx, y as i64 + dy);
        if nx >= 0 && ny >= 0 && (nx as usize) < width && (ny as usize) < height && mask[ny as usize * width + nx as usize] {
            bits |= 1 << bit;
        }
    }
    bits
}

/// How many runs of set neighbours the ring holds: 1 for the end or side of a line.
fn runs(bits: u8) -> u32 {
    (bits & !bits.rotate_left(1)).count_ones()
}

/// Zhang–Suen thinning of the ink, at most [`MAX_THINNING_ROUNDS`] rounds. Only ink pixels
/// are visited, so the work follows the ink, not the image.
fn skeleton(ink: &[bool], width: usize, height: usize) -> Vec<bool> {
    let mut skeleton = ink.to_vec();
    let mut alive: Vec<usize> = (0..ink.len()).filter(|&i| ink[i]).collect();
    let mut removed = Vec::new();
    for _ in 0..MAX_THINNING_ROUNDS {
        let mut changed = false;
        for second in [false, true] {
            removed.clear();
            for &index in &alive {
                let bits = ring_bits(&skeleton, width, height, index % width, index / width);
                let set = |bit: usize| bits & (1 << bit) != 0;
                let (north, east, south, west) = (set(0), set(2), set(4), set(6));
                // The two sub-rounds peel the south-east and the north-west borders in turn.
                let border = if second { !(north && west && (east || south)) } else { !(east && south && (north || west)) };
                if (2..=6).contains(&bits.count_ones()) && runs(bits) == 1 && border {
                    removed.push(index);
                }
            }
            for &index in &removed {
                skeleton[index] = false;
            }
            changed |= !removed.is_empty();
            alive.retain(|&index| skeleton[index]);
        }
        if !changed {
            break;
        }
    }
    skeleton
}

/// The skeleton's ends (one run of at most three neighbours) with the direction from the
/// skeleton a few steps back to the end.
fn stroke_ends(skeleton: &[bool], width: usize, height: usize) -> Vec<End> {
    let mut ends = Vec::new();
    let (mut seen, mut frontier, mut next) = (Vec::new(), Vec::new(), Vec::new());
    for index in (0..skeleton.len()).filter(|&i| skeleton[i]) {
        let (x, y) = (index % width, index / width);
        let bits = ring_bits(skeleton, width, height, x, y);
        if bits.count_ones() > 3 || runs(bits) != 1 {
            continue;
        }
        seen.clear();
        seen.push(index);
        frontier.clear();
        frontier.push(index);
        let mut steps = 0;
        while steps < DIRECTION_STEPS {
            next.clear();
            for &at in &frontier {
                for n in neighbours(at, width, height) {
                    if skeleton[n] && !seen.contains(&n) {
                        seen.push(n);
                        next.push(n);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            std::mem::swap(&mut frontier, &mut next);
            steps += 1;
        }
        if steps < MIN_DIRECTION_STEPS {
            continue;
        }
        let count = frontier.len() as f32;
        let back_x = frontier.iter().map(|&i| (i % width) as f32).sum::<f32>() / count;
        let back_y = frontier.iter().map(|&i| (i / width) as f32).sum::<f32>() / count;
        let (dx, dy) = (x as f32 - back_x, y as f32 - back_y);
        let length = dx.hypot(dy);
        if length >= 1.0 {
            ends.push(End { x: x as f32, y: y as f32, dx: dx / length, dy: dy / length });
        }
    }
    ends
}

/// The paper a ray from `end`, turned by `angle`, crosses between leaving its own stroke and
/// reaching other ink; `None` when it reaches none within [`MAX_LINK_PAPER`] pixels of paper
/// or [`MAX_RAY_LENGTH`] in all.
fn ray(end: &End, angle: f32, ink: &[bool], width: usize, height: usize) -> Option<Vec<(i64, i64)>> {
    let (sin, cos) = angle.sin_cos();
    let (dx, dy) = (end.dx * cos - end.dy * sin, end.dx * sin + end.dy * cos);
    let mut paper: Vec<(i64, i64)> = Vec::new();
    // Half-pixel steps keep the rounded positions 8-connected.
    for step in 0..2 * MAX_RAY_LENGTH {
        let t = step as f32 * 0.5;
        let (x, y) = ((end.x + dx * t).round() as i64, (end.y + dy * t).round() as i64);
        if x < 0 || y < 0 || x as usize >= width || y as usize >= height {
            return None;
        }
        if ink[y as usize * width + x as usize] {
            if !paper.is_empty() {
                return Some(paper);
            }
        } else if paper.last() != Some(&(x, y)) {
            if paper.len() == MAX_LINK_PAPER {
                return None;
            }
            paper.push((x, y));
        }
    }
    None
}

/// Pairs of ends within [`MAX_PAIR_DISTANCE`] that face each other, found through a grid of
/// cells that size so crowded drawings (stipple) stay linear.
fn facing_pairs(ends: &[End], width: usize, height: usize) -> Vec<(End, End)> {
    let cell = MAX_PAIR_DISTANCE;
    let columns = (width as f32 / cell) as usize + 1;
    let rows = (height as f32 / cell) as usize + 1;
    let mut grid: Vec<Vec<usize>> = vec![Vec::new(); columns * rows];
    let cell_of = |end: &End| ((end.x / cell) as usize, (end.y / cell) as usize);
    for (i, end) in ends.iter().enumerate() {
        let (cx, cy) = cell_of(end);
        grid[cy * columns + cx].push(i);
    }
    let mut pairs = Vec::new();
    for (i, a) in ends.iter().enumerate() {
        let (cx, cy) = cell_of(a);
        for ny in cy.saturating_sub(1)..(cy + 2).min(rows) {
            for nx in cx.saturating_sub(1)..(cx + 2).min(columns) {
                for &j in grid[ny * columns + nx].iter().filter(|&&j| j > i) {
                    let b = &ends[j];
                    let (vx, vy) = (b.x - a.x, b.y - a.y);
                    let distance = vx.hypot(vy);
                    if !(1.5..=MAX_PAIR_DISTANCE).contains(&distance) {
                        continue;
                    }
                    let (ux, uy) = (vx / distance, vy / distance);
                    if a.dx * ux + a.dy * uy >= MIN_FACING && -(b.dx * ux + b.dy * uy) >= MIN_FACING {
                        pairs.push((*a, *b));
                    }
                }
            }
        }
    }
    pairs
}

/// The paper pixels on the straight segment between two ends; `None` when more than
/// [`MAX_LINK_PAPER`] of them.
fn segment_paper(a: End, b: End, ink: &[bool], width: usize) -> Option<Vec<(i64, i64)>> {
    let steps = ((b.x - a.x).hypot(b.y - a.y) * 2.0) as usize + 1;
    let mut paper: Vec<(i64, i64)> = Vec::new();
    for step in 0..=steps {
        let t = step as f32 / steps as f32;
        let (x, y) = ((a.x + (b.x - a.x) * t).round() as i64, (a.y + (b.y - a.y) * t).round() as i64);
        if !ink[y as usize * width + x as usize] && paper.last() != Some(&(x, y)) {
            paper.push((x, y));
        }
    }
    (paper.len() <= MAX_LINK_PAPER).then_some(paper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::is_closed;
    use crate::synth::{Gap, GapKind};

    const SIZE: usize = 64;

    fn canvas(ink_at: impl Fn(usize, usize) -> bool) -> Vec<bool> {
        (0..SIZE * SIZE).map(|i| ink_at(i % SIZE, i / SIZE)).collect()
    }

    fn joined(ink: &[bool], a: (usize, usize), b: (usize, usize)) -> bool {
        let links = end_geometry(ink, SIZE, SIZE).links;
        let with_links: Vec<bool> = ink.iter().zip(&links).map(|(&i, &l)| i || l).collect();
        let gap = Gap { kind: GapKind::Straight, length: 0.0, stroke_width: 0.0, side_a: a, side_b: b, window: (0, 0, SIZE, SIZE) };
        is_closed(&with_links, SIZE, &gap)
    }

    #[test]
    fn a_break_in_a_line_is_linked() {
        let ink = canvas(|x, y| (30..33).contains(&y) && (8..56).contains(&x) && !(26..34).contains(&x));
        assert!(joined(&ink, (10, 31), (50, 31)));
    }

    #[test]
    fn a_cut_corner_is_linked() {
        let ink = canvas(|x, y| {
            let arms = ((10..13).contains(&y) && (10..50).contains(&x)) || ((10..50).contains(&y) && (47..50).contains(&x));
            arms && !(x >= 40 && y < 20)
        });
        assert!(joined(&ink, (15, 11), (48, 45)));
    }

    #[test]
    fn a_stroke_stopping_short_of_another_is_linked() {
        let ink = canvas(|x, y| ((10..54).contains(&y) && (40..43).contains(&x)) || ((30..33).contains(&y) && (8..30).contains(&x)));
        assert!(joined(&ink, (10, 31), (41, 50)));
    }

    #[test]
    fn an_end_in_open_paper_gets_no_link() {
        let ink = canvas(|x, y| (30..33).contains(&y) && (8..30).contains(&x));
        assert!(end_geometry(&ink, SIZE, SIZE).links.iter().all(|&l| !l));
    }

    #[test]
    fn hatching_ends_side_by_side_are_not_linked() {
        let ink = canvas(|x, y| (10..40).contains(&y) && ((20..23).contains(&x) || (34..37).contains(&x)));
        let links = end_geometry(&ink, SIZE, SIZE).links;
        assert!(links.iter().all(|&l| !l));
    }

    #[test]
    fn only_the_pixels_at_a_strokes_ends_are_near_an_end() {
        let ink = canvas(|x, y| (30..33).contains(&y) && (8..56).contains(&x));
        let near = end_geometry(&ink, SIZE, SIZE).near_end;
        assert!(near[31 * SIZE + 8] && near[31 * SIZE + 55], "the tips");
        assert!(!near[31 * SIZE + 32], "the middle");
    }

    #[test]
    fn links_never_cover_ink() {
        let ink = canvas(|x, y| (30..33).contains(&y) && (8..56).contains(&x) && !(26..34).contains(&x));
        let links = end_geometry(&ink, SIZE, SIZE).links;
        assert!(links.iter().any(|&l| l));
        assert!(links.iter().zip(&ink).all(|(&l, &i)| !(l && i)));
    }
}
