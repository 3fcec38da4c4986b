//! The leak check: every closed paper region (one a bucket fill would stay inside) gets its
//! own colour; paper that reaches the image border (where a fill leaks out) stays white. Shown
//! before and after closing, with the number of closed regions.

use crate::engine::mask::{border_regions, paper_regions};

/// Closed regions smaller than this are specks between strokes, not areas a colourist
/// fills: they are shown grey and not counted.
pub const MIN_REGION: usize = 16;

pub const INK: [u8; 4] = [32, 32, 32, 255];
pub const OPEN_PAPER: [u8; 4] = [255, 255, 255, 255];
pub const SPECK: [u8; 4] = [200, 200, 200, 255];

/// An RGBA picture of the regions and how many closed regions it shows.
pub struct LeakView {
    pub width: usize,
    pub height: usize,
    /// Row-major RGBA, ready for a canvas.
    pub rgba: Vec<u8>,
    pub closed_regions: usize,
}

/// Colours the paper regions of an ink mask (`true` = ink).
pub fn leak_view(ink: &[bool], width: usize, height: usize) -> LeakView {
    let (labels, sizes) = paper_regions(ink, width, height);
    let open = border_regions(&labels, width, height);
    // A region's colour comes from its first pixel in scan order, so a region that closing
    // does not change keeps its colour from the before view to the after view.
    let mut first = vec![usize::MAX; sizes.len()];
    for (i, &label) in labels.iter().enumerate() {
        let slot = &mut first[label as usize];
        if *slot == usize::MAX {
            *slot = i;
        }
    }
    let colours: Vec<[u8; 4]> = (0..sizes.len())
        .map(|label| match label {
            0 => INK,
            _ if open[label] => OPEN_PAPER,
            _ if sizes[label] < MIN_REGION => SPECK,
            _ => region_colour(first[label]),
        })
        .collect();
    let closed_regions = (1..sizes.len()).filter(|&l| !open[l] && sizes[l] >= MIN_REGION).count();
    let rgba = labels.iter().flat_map(|&label| colours[label as usize]).collect();
    LeakView { width, height, rgba, closed_regions }
}

/// A saturated, light colour from a seed: hues spread by the golden ratio so neighbouring
/// regions differ clearly; never near white, grey or the marking red's darkness.
pub fn region_colour(seed: usize) -> [u8; 4] {
    let mut h = seed as u64 ^ 0x9E37_79B9_7F4A_7C15;
    h = (h ^ (h >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    let hue = (h % 3600) as f64 / 3600.0;
    let lightness = [0.55, 0.68, 0.78][(h >> 20) as usize % 3];
    hsl(hue, 0.75, lightness)
}

fn hsl(hue: f64, saturation: f64, lightness: f64) -> [u8; 4] {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let sector = hue * 6.0;
    let x = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
    let (r, g, b) = match sector as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = lightness - chroma / 2.0;
    let channel = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [channel(r), channel(g), channel(b), 255]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 30×30 square outline from (5, 5) to (24, 24), optionally with a gap in its top edge.
    fn square(gap: bool) -> Vec<bool> {
        (0..900)
            .map(|i| {
                let (x, y) = (i % 30, i / 30);
                let inside = (5..=24).contains(&x) && (5..=24).contains(&y);
                let edge = inside && (x == 5 || x == 24 || y == 5 || y == 24);
                edge && !(gap && y == 5 && (12..15).contains(&x))
            })
            .collect()
    }

    #[test]
    fn a_gap_leaks_and_closing_it_makes_a_region() {
        let before = leak_view(&square(true), 30, 30);
        let after = leak_view(&square(false), 30, 30);
        assert_eq!(before.closed_regions, 0);
        assert_eq!(after.closed_regions, 1);
        let pixel =
            |view: &LeakView, x: usize, y: usize| -> [u8; 4] { view.rgba[(y * 30 + x) * 4..][..4].try_into().unwrap() };
        assert_eq!(pixel(&before, 15, 15), OPEN_PAPER, "a leaking inside is open paper");
        assert_eq!(pixel(&after, 0, 0), OPEN_PAPER);
        assert_eq!(pixel(&after, 5, 5), INK);
        let fill = pixel(&after, 15, 15);
        assert!(fill != OPEN_PAPER && fill != SPECK && fill != INK);
        assert_eq!(after.rgba.len(), 900 * 4);
    }

    #[test]
    fn specks_are_not_counted() {
        // A 3×3 ring: its 1-pixel inside is a closed speck.
        let ink: Vec<bool> = (0..25)
            .map(|i| {
                let (x, y) = (i % 5, i / 5);
                (1..=3).contains(&x) && (1..=3).contains(&y) && (x, y) != (2, 2)
            })
            .collect();
        let view = leak_view(&ink, 5, 5);
        assert_eq!(view.closed_regions, 0);
        assert_eq!(&view.rgba[(2 * 5 + 2) * 4..][..4], &SPECK);
    }

    #[test]
    fn region_colours_are_distinct_and_never_white() {
        let colours: std::collections::HashSet<[u8; 4]> = (0..64).map(|seed| region_colour(seed * 977)).collect();
        assert!(colours.len() > 56, "{} distinct of 64", colours.len());
        for c in colours {
            assert!(c != OPEN_PAPER && c != SPECK);
            assert!(c[..3].iter().max().unwrap() - c[..3].iter().min().unwrap() > 40, "{c:?} is too grey");
        }
    }
}
