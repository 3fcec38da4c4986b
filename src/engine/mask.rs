//! Binary masks (ink or not, per pixel, row-major): paper regions, the areas a bucket fill
//! floods; dilation; ink connectivity. The scorer measures closures and region recovery with
//! them, training synthesis weighs its samples with them and the web app's leak check colours
//! the regions.

/// Labels the 4-connected components of paper (`!ink`), the way a bucket fill spreads.
///
/// Returns `(labels, sizes)`: per pixel (row-major) its region's label, 0 for ink; and per
/// label its size in pixels, with `sizes[0] = 0` standing for ink. Labels count from 1 in
/// scan order.
pub fn paper_regions(ink: &[bool], w: usize, h: usize) -> (Vec<u32>, Vec<usize>) {
    assert_eq!(ink.len(), w * h, "ink mask of another size");
    let mut labels = vec![0u32; w * h];
    let mut sizes = vec![0usize];
    let mut stack = Vec::new();
    for start in 0..w * h {
        if ink[start] || labels[start] != 0 {
            continue;
        }
        let label = sizes.len() as u32;
        let mut size = 0;
        labels[start] = label;
        stack.push(start);
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |n: usize| {
                if !ink[n] && labels[n] == 0 {
                    labels[n] = label;
                    stack.push(n);
                }
            };
            if x > 0 { visit(i - 1) }
            if x + 1 < w { visit(i + 1) }
            if y > 0 { visit(i - w) }
            if y + 1 < h { visit(i + w) }
        }
        sizes.push(size);
    }
    (labels, sizes)
}

/// Per label of [`paper_regions`], whether its region touches the image border (where a fill
/// leaks out); ink's label 0 does not.
pub fn border_regions(labels: &[u32], width: usize, height: usize) -> Vec<bool> {
    let count = labels.iter().copied().max().unwrap_or(0) as usize + 1;
    let mut open = vec![false; count];
    if width == 0 || height == 0 {
        return open;
    }
    let rows = (0..width).flat_map(|x| [x, (height - 1) * width + x]);
    let cols = (0..height).flat_map(|y| [y * width, y * width + width - 1]);
    for i in rows.chain(cols) {
        open[labels[i] as usize] = labels[i] != 0;
    }
    open
}

/// Pixels within `steps` (chessboard distance) of a set pixel.
///
/// The chessboard disc is a square, so it dilates rows and then columns, each by a running
/// count over a window: linear in the image whatever the distance, which matters because
/// training synthesis calls it for every sample.
pub fn dilate(mask: &[bool], w: usize, h: usize, steps: usize) -> Vec<bool> {
    let mut rows = vec![false; mask.len()];
    for y in 0..h {
        dilate_line(&mask[y * w..(y + 1) * w], 1, steps, |x, set| rows[y * w + x] = set);
    }
    let mut out = vec![false; mask.len()];
    for x in 0..w {
        dilate_line(&rows[x..], w, steps, |y, set| out[y * w + x] = set);
    }
    out
}

/// One line of [`dilate`]: `line[i * stride]` for each place `i` the line has, each written
/// back as whether a set pixel lies within `steps` places of it.
fn dilate_line(line: &[bool], stride: usize, steps: usize, mut write: impl FnMut(usize, bool)) {
    let len = line.len().div_ceil(stride);
    let mut set_in_window = 0usize;
    for i in 0..len + steps {
        if i < len && line[i * stride] {
            set_in_window += 1;
        }
        if let Some(centre) = i.checked_sub(steps) {
            if centre >= len {
                break;
            }
            write(centre, set_in_window > 0);
            if let Some(leaving) = centre.checked_sub(steps) {
                set_in_window -= usize::from(line[leaving * stride]);
            }
        }
    }
}

/// Whether `a` and `b` are joined through pixels where `is_ink` holds (8-connected), staying
/// inside `window`.
pub fn connected(is_ink: impl Fn(usize, usize) -> bool, window: (usize, usize, usize, usize), a: (usize, usize), b: (usize, usize)) -> bool {
    let (x0, y0, x1, y1) = window;
    let w = x1 - x0;
    let mut seen = vec![false; w * (y1 - y0)];
    let mut stack = vec![a];
    if !is_ink(a.0, a.1) {
        return false;
    }
    seen[(a.1 - y0) * w + a.0 - x0] = true;
    while let Some((x, y)) = stack.pop() {
        if (x, y) == b {
            return true;
        }
        for ny in y.saturating_sub(1).max(y0)..(y + 2).min(y1) {
            for nx in x.saturating_sub(1).max(x0)..(x + 2).min(x1) {
                let k = (ny - y0) * w + nx - x0;
                if !seen[k] && is_ink(nx, ny) {
                    seen[k] = true;
                    stack.push((nx, ny));
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(rows: &[&str]) -> (Vec<bool>, usize, usize) {
        let ink = rows.iter().flat_map(|r| r.chars().map(|c| c == '#')).collect();
        (ink, rows[0].len(), rows.len())
    }

    #[test]
    fn labels_four_connected_paper_and_counts_sizes() {
        // A closed box and a diamond whose centre touches the outside only diagonally.
        let (ink, w, h) = mask(&[
            ".......", //
            ".###.#.", //
            ".#.##.#", //
            ".###.#.", //
            ".......", //
        ]);
        let (labels, sizes) = paper_regions(&ink, w, h);
        let (outside, box_inside, diamond) = (labels[0], labels[2 * w + 2], labels[2 * w + 5]);
        assert_eq!(outside, 1, "labels count from 1 in scan order");
        assert_eq!(sizes.len(), 4, "outside, box, diamond");
        assert!(box_inside != outside && diamond != outside && box_inside != diamond);
        assert_eq!((sizes[box_inside as usize], sizes[diamond as usize]), (1, 1));
        assert_eq!(labels[4 * w + 4], outside, "4-connected around the shapes");
        assert_eq!(labels[w + 1], 0, "ink has label 0");
        assert_eq!(sizes[0], 0);
        assert_eq!(sizes.iter().sum::<usize>(), ink.iter().filter(|&&i| !i).count());
    }

    #[test]
    fn dilation_reaches_exactly_the_chessboard_distance() {
        let mut rng = crate::synth::Rng::new(7);
        let (w, h) = (23, 17);
        for (steps, density) in [(0, 0.2), (1, 0.05), (2, 0.02), (4, 0.01), (30, 0.003)] {
            let mask: Vec<bool> = (0..w * h).map(|_| rng.chance(density)).collect();
            let dilated = dilate(&mask, w, h, steps);
            for (i, &set) in dilated.iter().enumerate() {
                let (x, y) = (i % w, i / w);
                let near = (0..w * h).any(|j| mask[j] && (j % w).abs_diff(x) <= steps && (j / w).abs_diff(y) <= steps);
                assert_eq!(set, near, "pixel ({x}, {y}) at distance {steps}");
            }
        }
    }
}
