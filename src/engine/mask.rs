//! Paper regions: the areas a bucket fill floods. The scorer measures region recovery with
//! them and the web app's leak check colours them.

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
}
