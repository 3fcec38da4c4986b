//! Levelling, as a colourist would before colouring: a scan's or photo's paper to white, even
//! where the light falls unevenly, and a pencil sketch's lines to black, so that the network
//! sees lines on white paper and every line counts as ink (never changed).

use super::composite::INK_LEVEL;

/// Pixels at least this much darker than the paper (but lighter than the ink level) are faint
/// line, not paper grain.
pub(super) const FAINT_LEVEL: u8 = 48;
/// A drawing's lines are levelled when this share of its marks (pixels at least
/// [`FAINT_LEVEL`] darker than its paper), the darkest, is still lighter than the ink level:
/// then no line of it is inked, as in a pencil sketch.
const LINE_PERCENTILE: u64 = 98;
/// Fewer marks than one pixel in this many are paper grain or dust, not a drawing to level.
const MIN_MARKS_PER_PIXEL: u64 = 1000;
/// Paper at most this dark is white to the network: the paper noise it trained on averages up
/// to 5. Darker paper (cream or grey scan paper) is levelled to white.
const MAX_WHITE_PAPER: u8 = 8;
/// The paper's tone is the most common darkness under the ink level, when at least half the
/// drawing (or of a [`CELL`]) lies within this much of it; otherwise there is no one paper
/// tone to level.
const PAPER_SPREAD: u8 = 8;
/// Uneven light is read in square cells of this side: small beside a page's fall-off, large
/// beside its strokes, so that most cells show their paper.
const CELL: usize = 64;
/// A lit page is fitted to at least this many cells that show their paper.
const MIN_PAPER_CELLS: usize = 12;
/// Paper is uneven only when at least this percentage of the cells that show their paper lie
/// within [`PAPER_SPREAD`] of the smooth fall-off fitted to them: a drawing with large grey
/// fills, whose cells disagree with any smooth light, keeps one paper tone.
const MIN_AGREEING_CELLS_PERCENT: usize = 80;

/// A levels adjustment: the paper's tone (at each pixel) becomes 0 and the darkness `line`
/// above it becomes 255, linearly between.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Levels {
    pub paper: Paper,
    /// How dark a pencil drawing's darkest lines ([`LINE_PERCENTILE`] of its marks) are once
    /// the paper is white, or 255 for a drawing with inked lines.
    pub line: u8,
}

impl Levels {
    /// The levels a `width`-pixel-wide drawing of this darkness needs; `None` for inked lines
    /// on white paper.
    pub fn of(darkness: &[u8], width: usize) -> Option<Self> {
        if darkness.is_empty() {
            return None;
        }
        let mut raw = [0u64; 256];
        darkness.iter().for_each(|&d| raw[usize::from(d)] += 1);
        let paper = Paper::of(darkness, width, &raw);
        let white_paper = Self { paper: paper.unwrap_or(Paper::even(0)), line: u8::MAX };
        let histogram = white_paper.histogram(darkness, width, &raw);
        let faint = usize::from(FAINT_LEVEL);
        let marks: u64 = histogram[faint..].iter().sum();
        let pencil = marks > 0 && marks * MIN_MARKS_PER_PIXEL >= darkness.len() as u64;
        let line = if pencil { faint + percentile(&histogram[faint..], LINE_PERCENTILE) } else { 255 };
        let line = if line < usize::from(INK_LEVEL) { line as u8 } else { u8::MAX };
        (paper.is_some() || line < u8::MAX).then_some(Self { line, ..white_paper })
    }

    /// `darkness` (`width` pixels a row) levelled by `levels`, if any.
    pub fn apply_all(levels: Option<Self>, mut darkness: Vec<u8>, width: usize) -> Vec<u8> {
        if let Some(levels) = levels {
            let mut levelled = Vec::with_capacity(darkness.len());
            levels.for_each(&darkness, width, |d| levelled.push(d));
            darkness = levelled;
        }
        darkness
    }

    /// The histogram of `darkness` levelled, from its histogram `raw` where the paper is even.
    fn histogram(self, darkness: &[u8], width: usize, raw: &[u64; 256]) -> [u64; 256] {
        let mut histogram = [0u64; 256];
        match self.paper.even_tone() {
            Some(paper) => raw.iter().enumerate().for_each(|(d, &count)| histogram[usize::from(self.level(d, paper))] += count),
            None => self.for_each(darkness, width, |d| histogram[usize::from(d)] += 1),
        }
        histogram
    }

    /// Calls `visit` with each pixel's levelled darkness, in order.
    fn for_each(self, darkness: &[u8], width: usize, mut visit: impl FnMut(u8)) {
        // Every darkness on every paper tone under the ink level, so that a pixel is a lookup.
        let table: Vec<[u8; 256]> = (0..usize::from(INK_LEVEL)).map(|paper| std::array::from_fn(|d| self.level(d, paper))).collect();
        for (y, row) in darkness.chunks(width).enumerate() {
            let tones = self.paper.row(y, width, darkness.len() / width);
            row.iter().zip(tones).for_each(|(&d, paper)| visit(table[paper][usize::from(d)]));
        }
    }

    /// Darkness `d` on paper of tone `paper`, levelled.
    fn level(self, d: usize, paper: usize) -> u8 {
        let (d, paper, line) = (d as u32, paper as u32, u32::from(self.line));
        // The paper's brightness divides out, as light falling on it multiplies it.
        (d.saturating_sub(paper) * 255 * 255 / ((255 - paper) * line)).min(255) as u8
    }
}

/// The paper's darkness across the drawing: one tone for an even scan, or a smooth fall-off
/// (a quadratic in the position) for a page in uneven light, such as a phone photo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paper {
    /// Of 1, u, v, u², uv and v², where u and v run from −1 to 1 across the width and height.
    coefficients: [f64; 6],
}

impl Paper {
    pub(super) fn even(tone: u8) -> Self {
        Self { coefficients: [f64::from(tone), 0.0, 0.0, 0.0, 0.0, 0.0] }
    }

    /// The paper under a drawing of this darkness (and this histogram of it), or `None` when
    /// it is white (or no paper shows).
    fn of(darkness: &[u8], width: usize, histogram: &[u64; 256]) -> Option<Self> {
        Self::lit(darkness, width, darkness.len() / width)
            .or_else(|| paper_tone(histogram).filter(|&tone| tone > MAX_WHITE_PAPER).map(Self::even))
    }

    /// The one tone of even paper; `None` for a lit page's fall-off.
    fn even_tone(&self) -> Option<usize> {
        let [tone, rest @ ..] = self.coefficients;
        rest.iter().all(|&c| c == 0.0).then_some(tone as usize)
    }

    /// The fall-off of a page in uneven light: fitted to the tones of the cells that show
    /// their paper, when most agree with it, it varies by more than [`PAPER_SPREAD`], and at
    /// least half the drawing lies within [`PAPER_SPREAD`] of it.
    fn lit(darkness: &[u8], width: usize, height: usize) -> Option<Self> {
        let cells = cell_tones(darkness, width, height);
        if cells.len() < MIN_PAPER_CELLS {
            return None;
        }
        let spread = f64::from(PAPER_SPREAD);
        let mut paper = fit(&cells)?;
        for _ in 0..2 {
            let agreeing: Vec<_> = cells.iter().copied().filter(|&cell| paper.misses(cell) <= 2.0 * spread).collect();
            paper = fit(&agreeing)?;
        }
        let agreeing = cells.iter().filter(|&&cell| paper.misses(cell) <= spread).count();
        if agreeing * 100 < MIN_AGREEING_CELLS_PERCENT * cells.len() {
            return None;
        }
        let corners = [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)];
        let tones = cells.iter().map(|&(u, v, _)| (u, v)).chain(corners).map(|(u, v)| paper.tone(u, v));
        let (lightest, darkest) = tones.fold((f64::MAX, f64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        if darkest - lightest <= spread {
            return None;
        }
        let mut near = 0u64;
        for (y, row) in darkness.chunks(width).enumerate() {
            let tones = paper.row(y, width, height);
            near += row.iter().zip(tones).filter(|&(&d, tone)| usize::from(d).abs_diff(tone) <= usize::from(PAPER_SPREAD)).count() as u64;
        }
        (near * 2 >= darkness.len() as u64).then_some(paper)
    }

    fn tone(&self, u: f64, v: f64) -> f64 {
        let [c, cu, cv, cuu, cuv, cvv] = self.coefficients;
        c + cu * u + cv * v + cuu * u * u + cuv * u * v + cvv * v * v
    }

    /// How far a cell's tone lies from this paper's at the cell.
    fn misses(&self, (u, v, tone): (f64, f64, f64)) -> f64 {
        (self.tone(u, v) - tone).abs()
    }

    /// The paper's tone at each pixel of row `y`, rounded and kept under the ink level.
    fn row(&self, y: usize, width: usize, height: usize) -> impl Iterator<Item = usize> + use<> {
        let v = centred(y, height);
        let [c, cu, cv, cuu, cuv, cvv] = self.coefficients;
        // Along the row the tone is a quadratic in u alone.
        let (constant, linear, square) = (c + cv * v + cvv * v * v, cu + cuv * v, cuu);
        let (step, first) = if width < 2 { (0.0, 0.0) } else { (2.0 / (width - 1) as f64, -1.0) };
        let darkest = f64::from(INK_LEVEL - 1);
        (0..width).map(move |x| {
            let u = first + x as f64 * step;
            // Rounded by truncation: `f64::round` is a library call on baseline x86-64.
            ((constant + (linear + square * u) * u).clamp(0.0, darkest) + 0.5) as usize
        })
    }
}

/// Position `i` of `n` as −1 (the first) to 1 (the last).
fn centred(i: usize, n: usize) -> f64 {
    if n < 2 { 0.0 } else { 2.0 * i as f64 / (n - 1) as f64 - 1.0 }
}

/// `(u, v, tone)` of every whole [`CELL`] that shows its paper: the cell's centre, and the
/// paper tone of its own histogram.
fn cell_tones(darkness: &[u8], width: usize, height: usize) -> Vec<(f64, f64, f64)> {
    let (across, down) = (width / CELL, height / CELL);
    let mut cells = Vec::new();
    let mut histograms = vec![[0u64; 256]; across];
    for cell_y in 0..down {
        histograms.iter_mut().for_each(|histogram| *histogram = [0; 256]);
        for row in darkness.chunks(width).skip(cell_y * CELL).take(CELL) {
            for (histogram, pixels) in histograms.iter_mut().zip(row.chunks_exact(CELL)) {
                pixels.iter().for_each(|&d| histogram[usize::from(d)] += 1);
            }
        }
        for (cell_x, histogram) in histograms.iter().enumerate() {
            if let Some(tone) = paper_tone(histogram) {
                let centre = |cell: usize, n: usize| centred(cell * CELL + CELL / 2, n);
                cells.push((centre(cell_x, width), centre(cell_y, height), f64::from(tone)));
            }
        }
    }
    cells
}

/// The least-squares quadratic through `(u, v, tone)` points; `None` when they do not fix one.
fn fit(points: &[(f64, f64, f64)]) -> Option<Paper> {
    let mut normal = [[0.0f64; 7]; 6];
    for &(u, v, tone) in points {
        let terms = [1.0, u, v, u * u, u * v, v * v];
        for (row, &a) in normal.iter_mut().zip(&terms) {
            for (entry, &b) in row.iter_mut().zip(terms.iter().chain([&tone])) {
                *entry += a * b;
            }
        }
    }
    // Gaussian elimination with partial pivoting on the augmented normal equations.
    for column in 0..6 {
        let pivot = (column..6).max_by(|&a, &b| normal[a][column].abs().total_cmp(&normal[b][column].abs()))?;
        if normal[pivot][column].abs() < 1e-9 * points.len() as f64 {
            return None;
        }
        normal.swap(column, pivot);
        for row in 0..6 {
            if row != column {
                let factor = normal[row][column] / normal[column][column];
                let pivot_row = normal[column];
                normal[row].iter_mut().zip(pivot_row).for_each(|(entry, p)| *entry -= factor * p);
            }
        }
    }
    Some(Paper { coefficients: std::array::from_fn(|i| normal[i][6] / normal[i][i]) })
}

/// The most common darkness under the ink level, when at least half of the histogram's
/// pixels lie within [`PAPER_SPREAD`] of it: the paper, which line art mostly is.
fn paper_tone(histogram: &[u64; 256]) -> Option<u8> {
    let below_ink = &histogram[..usize::from(INK_LEVEL)];
    let tone = below_ink.iter().enumerate().max_by_key(|&(d, &count)| (count, std::cmp::Reverse(d)))?.0;
    let spread = usize::from(PAPER_SPREAD);
    let near: u64 = histogram[tone.saturating_sub(spread)..=tone + spread].iter().sum();
    (near * 2 >= histogram.iter().sum::<u64>()).then_some(tone as u8)
}

/// The bin under which `percent` % of a histogram's count lies.
fn percentile(histogram: &[u64], percent: u64) -> usize {
    let total: u64 = histogram.iter().sum();
    let wanted = (total * percent).div_ceil(100).max(1);
    let mut seen = 0;
    histogram.iter().position(|&count| {
        seen += count;
        seen >= wanted
    }).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIDE: usize = 512;

    /// A `SIDE`-square page: black 4 px lines every 32 px both ways, drawn with `line` (the
    /// share of the light they stop), on paper whose darkness runs from `top_left` to
    /// `bottom_right` along the diagonal, as light falls on a photographed page.
    fn photographed(top_left: f64, bottom_right: f64, line: f64) -> Vec<u8> {
        (0..SIDE * SIDE)
            .map(|i| {
                let (x, y) = (i % SIDE, i / SIDE);
                let paper = top_left + (bottom_right - top_left) * (x + y) as f64 / (2 * (SIDE - 1)) as f64;
                let stops = if x % 32 < 4 || y % 32 < 4 { line } else { 0.0 };
                (255.0 - (255.0 - paper) * (1.0 - stops)).round() as u8
            })
            .collect()
    }

    fn is_line(i: usize) -> bool {
        i % SIDE % 32 < 4 || i / SIDE % 32 < 4
    }

    #[test]
    fn levels_unevenly_lit_paper_to_white() {
        let page = photographed(10.0, 90.0, 1.0);
        let levels = Levels::of(&page, SIDE).expect("uneven paper is levelled");
        assert_eq!(levels.line, 255, "inked lines stay as they are");
        let levelled = Levels::apply_all(Some(levels), page, SIDE);
        let darkest_paper = (0..levelled.len()).filter(|&i| !is_line(i)).map(|i| levelled[i]).max();
        assert!(darkest_paper <= Some(2), "paper levelled to {darkest_paper:?}");
        assert!((0..levelled.len()).filter(|&i| is_line(i)).all(|i| levelled[i] == 255));
    }

    #[test]
    fn levels_a_pencil_sketch_in_uneven_light() {
        // Pencil stopping 35 % of the light: under the ink level on the bright side, and under
        // it once the paper is levelled on the dark side too.
        let page = photographed(5.0, 70.0, 0.35);
        let levels = Levels::of(&page, SIDE).expect("levelled");
        assert!((80..=95).contains(&levels.line), "line at {}", levels.line);
        let levelled = Levels::apply_all(Some(levels), page, SIDE);
        for (i, &d) in levelled.iter().enumerate() {
            assert_eq!(d >= INK_LEVEL, is_line(i), "pixel {i}: {d}");
        }
    }

    #[test]
    fn keeps_white_paper_under_large_grey_fills() {
        // Inked lines on white, with grey fills (darkness 80) in a third of the page: the
        // fills are part of the drawing, not light on the paper.
        let page: Vec<u8> = photographed(0.0, 0.0, 1.0)
            .into_iter()
            .enumerate()
            .map(|(i, d)| if d == 0 && (i % SIDE) % 192 < 64 { 80 } else { d })
            .collect();
        assert_eq!(Levels::of(&page, SIDE), None);
    }

    #[test]
    fn finds_one_tone_on_evenly_toned_paper() {
        let levels = Levels::of(&photographed(50.0, 50.0, 1.0), SIDE);
        assert_eq!(levels, Some(Levels { paper: Paper::even(50), line: 255 }));
        assert_eq!(Levels::of(&photographed(0.0, 6.0, 1.0), SIDE), None, "as white as the network's paper");
    }

    #[test]
    fn fits_the_quadratic_through_its_points() {
        let truth = Paper { coefficients: [40.0, 10.0, -6.0, 3.0, 2.0, -1.5] };
        let points: Vec<_> = (0..25).map(|i| {
            let (u, v) = (f64::from(i % 5) / 2.0 - 1.0, f64::from(i / 5) / 2.0 - 1.0);
            (u, v, truth.tone(u, v))
        }).collect();
        let fitted = fit(&points).unwrap();
        assert!(fitted.coefficients.iter().zip(truth.coefficients).all(|(a, b)| (a - b).abs() < 1e-9), "{fitted:?}");
        assert_eq!(fit(&points[..5]), None, "one row of points fixes no quadratic");
    }
}
