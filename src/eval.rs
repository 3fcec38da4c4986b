//! The dev-set evaluation: cut deterministic gaps into real line drawings, close them with the
//! model and with classical methods (morphological closing, G'MIC's `close_binary`), and score
//! every method the same way.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::{DynamicImage, GrayImage, RgbImage};

use crate::engine::mask::dilate;
use crate::engine::{Drawing, GapCloser, INK_LEVEL, ProbabilityMap, TileOptions, composite, decode};
use crate::files::find_drawings;
use crate::score::{Case, Scores, is_closed, score, surest_crossing};
use crate::synth::{Canvas, Gap, GapKind, Rng, SitePicking, cut_gaps, darkness_bytes};

/// A way to close gaps, compared on the same drawings.
#[derive(Clone, Debug)]
pub enum Method {
    /// The gapped drawing as is: the baseline every method must beat.
    Identity,
    /// Binary dilation then erosion with a square of this radius.
    Closing(usize),
    /// G'MIC `close_binary` with these arguments (the Fourey–Tschumperlé–Revoy line-art
    /// closure behind GIMP's "fill by line art detection").
    Gmic(String),
    /// The network at this threshold.
    Model(f32),
}

impl Method {
    pub fn name(&self) -> String {
        match self {
            Self::Identity => "identity".into(),
            Self::Closing(r) => format!("closing r={r}"),
            Self::Gmic(args) => format!("gmic close_binary {args}"),
            Self::Model(t) => format!("model t={t}"),
        }
    }
}

/// One evaluation drawing: clean, gapped, and where the gaps are.
pub struct EvalDrawing {
    pub name: String,
    pub width: usize,
    pub height: usize,
    pub clean: Vec<u8>,
    /// The gapped drawing's darkness as the engine reads it (levelled, for a pencil drawing or
    /// toned paper): every method's output and the scores are measured in it.
    pub gapped: Vec<u8>,
    /// The darkness of the file the model is given when the drawing was redrawn in light pencil
    /// or on toned paper (`SetOptions::pencil`, `SetOptions::paper`); otherwise it is given
    /// `gapped`.
    pub redrawn: Option<Vec<u8>>,
    pub gaps: Vec<Gap>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct EvalError {
    pub path: PathBuf,
    pub reason: String,
}

/// How the evaluation cases are made from a directory of clean drawings.
#[derive(Clone, Debug)]
pub struct SetOptions {
    /// Longest gap cut, in pixels.
    pub max_gap: f32,
    /// Independent sets of gaps cut into each drawing, with other seeds: one gap is 0.2 % of
    /// the dev set's closure, so telling two models apart needs more gaps than one cut gives.
    /// The first cut is always the same set, the model card's dev set.
    pub cuts: usize,
    /// Saves each gapped drawing as a JPEG of this quality before any method sees it, as a
    /// scan or export would be; lost ink is then counted against that JPEG.
    pub jpeg_quality: Option<u8>,
    /// Redraws each gapped drawing in light pencil, its darkness times this share (under 0.5),
    /// as an unlevelled pencil sketch: the model is given that, the classical methods the
    /// drawing as the engine levels it, and every output is scored as the engine levels it.
    pub pencil: Option<f32>,
    /// Puts each gapped drawing on toned paper, multiplied as ink on toned paper scans.
    pub paper: Option<PaperRamp>,
}

/// The paper a drawing is redrawn on: one grey (cream scan paper is about 205 in its blue, the
/// channel darkness reads), or a ramp from one grey at the top-left corner to another at the
/// bottom-right, as a phone photo in uneven light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaperRamp {
    pub top_left: u8,
    pub bottom_right: u8,
}

impl PaperRamp {
    pub fn even(grey: u8) -> Self {
        Self { top_left: grey, bottom_right: grey }
    }

    /// The paper's brightness (0–1) at `(x, y)` of a `width`×`height` drawing.
    fn at(self, x: usize, y: usize, width: usize, height: usize) -> f32 {
        let along = (x as f32 / width.max(2).saturating_sub(1) as f32 + y as f32 / height.max(2).saturating_sub(1) as f32) / 2.0;
        (f32::from(self.top_left) + (f32::from(self.bottom_right) - f32::from(self.top_left)) * along) / 255.0
    }
}

impl Default for SetOptions {
    fn default() -> Self {
        Self { max_gap: 16.0, cuts: 1, jpeg_quality: None, pencil: None, paper: None }
    }
}

/// Loads every image under `dir` and cuts about one gap per 3000 ink pixels (8 to 40), seeded
/// by the file name so the set is the same on every machine.
pub fn load_set(dir: &Path, options: &SetOptions) -> Result<Vec<EvalDrawing>, EvalError> {
    let fail = |path: &Path, reason: String| EvalError { path: path.to_owned(), reason };
    let (found, unreadable) = find_drawings(dir, None);
    if let Some((folder, e)) = unreadable.into_iter().next() {
        return Err(fail(&folder, e.to_string()));
    }
    let mut set = Vec::new();
    for (path, _) in found {
        let bytes = std::fs::read(&path).map_err(|e| fail(&path, e.to_string()))?;
        let drawing = decode(&bytes).map_err(|e| fail(&path, e.to_string()))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let seed = name.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x1000_0000_01B3));
        let clean = Canvas::of(&drawing);
        let ink = drawing.darkness.iter().filter(|&&d| d >= INK_LEVEL).count();
        for cut_index in 0..options.cuts as u64 {
            let mut rng = Rng::new(seed ^ cut_index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let (cut, gaps) = cut_gaps(&clean, (ink / 3000).clamp(8, 40), options.max_gap, SitePicking::Random, &mut rng);
            let gapped = match options.jpeg_quality {
                Some(quality) => jpeg_round_trip(&cut.to_image(), quality).map_err(|e| fail(&path, format!("saving as JPEG: {e}")))?,
                None => darkness_bytes(&cut.darkness),
            };
            let (gapped, redrawn) = if options.pencil.is_some() || options.paper.is_some() {
                let (share, paper, width) = (options.pencil.unwrap_or(1.0), options.paper.unwrap_or(PaperRamp::even(255)), clean.width);
                let redrawn: Vec<u8> = gapped
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| (255.0 - (255.0 - f32::from(d) * share) * paper.at(i % width, i / width, width, clean.height)).round() as u8)
                    .collect();
                (Drawing::from_image(DynamicImage::ImageLuma8(paper_image(clean.width, clean.height, &redrawn))).darkness, Some(redrawn))
            } else {
                (gapped, None)
            };
            set.push(EvalDrawing {
                name: if cut_index == 0 { name.clone() } else { name.replacen('.', &format!(".cut{cut_index}."), 1) },
                width: clean.width,
                height: clean.height,
                clean: drawing.darkness.clone(),
                gapped,
                redrawn,
                gaps,
            });
        }
    }
    Ok(set)
}

/// The darkness of `image` saved as a JPEG of this quality and read back by the engine's
/// decoder, as a user's scan or export would be: block and ringing artefacts.
fn jpeg_round_trip(image: &GrayImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality).encode_image(image).map_err(|e| e.to_string())?;
    decode(&bytes).map(|drawing| drawing.darkness).map_err(|e| e.to_string())
}

/// A darkness plane as the image a user would have: dark lines on white.
fn paper_image(width: usize, height: usize, darkness: &[u8]) -> GrayImage {
    GrayImage::from_vec(width as u32, height as u32, darkness.iter().map(|d| 255 - d).collect()).expect("plane matches its size")
}

/// The file the model is given, decoded.
fn model_input(drawing: &EvalDrawing) -> Drawing {
    let darkness = drawing.redrawn.as_deref().unwrap_or(&drawing.gapped);
    Drawing::from_image(DynamicImage::ImageLuma8(paper_image(drawing.width, drawing.height, darkness)))
}

/// The model's input for one drawing and the network's probability map of it: both depend only
/// on the drawing, so they are made once (with the drawing's levels, ink and stroke ends) and
/// shared by every threshold and the gap report.
struct ModelRun {
    input: Drawing,
    probability: ProbabilityMap,
}

/// The drawing's [`ModelRun`], made on first use and kept in `slot`.
fn model_run<'a>(slot: &'a mut Option<ModelRun>, drawing: &EvalDrawing, closer: &GapCloser) -> Result<&'a ModelRun, String> {
    if slot.is_none() {
        let input = model_input(drawing);
        let probability = run_probability(&input, closer)?;
        *slot = Some(ModelRun { input, probability });
    }
    Ok(slot.as_ref().expect("made above"))
}

/// Output darkness of `method` on one drawing.
fn run_method(
    method: &Method,
    drawing: &EvalDrawing,
    closer: &GapCloser,
    run: &mut Option<ModelRun>,
) -> Result<Vec<u8>, String> {
    let (w, h) = (drawing.width, drawing.height);
    match method {
        Method::Identity => Ok(drawing.gapped.clone()),
        Method::Closing(radius) => {
            let ink: Vec<bool> = drawing.gapped.iter().map(|&d| d >= INK_LEVEL).collect();
            let dilated = dilate(&ink, w, h, *radius);
            let paper: Vec<bool> = dilated.iter().map(|&i| !i).collect();
            let closed: Vec<bool> = dilate(&paper, w, h, *radius).iter().map(|&p| !p).collect();
            Ok(add_black(&drawing.gapped, &closed))
        }
        Method::Gmic(args) => {
            let dir = tempfile_dir()?;
            let (input, output) = (dir.join("in.png"), dir.join("out.png"));
            paper_image(w, h, &drawing.gapped).save(&input).map_err(|e| e.to_string())?;
            let status = Command::new("gmic")
                .args(["-v", "-1"])
                .arg(&input)
                .args(["-channels", "0", "-lt", "128", "-close_binary"])
                .arg(args)
                .args(["-mul", "255", "-o"])
                .arg(&output)
                .status()
                .map_err(|e| format!("cannot run gmic ({e}); install Debian's gmic"))?;
            if !status.success() {
                return Err(format!("gmic failed with {status}"));
            }
            let mask = image::open(&output).map_err(|e| e.to_string())?.to_luma8();
            let _ = std::fs::remove_dir_all(&dir);
            let closed: Vec<bool> = mask.pixels().map(|p| p.0[0] >= 128).collect();
            Ok(add_black(&drawing.gapped, &closed))
        }
        Method::Model(threshold) => {
            let ModelRun { input, probability } = model_run(run, drawing, closer)?;
            let closure = composite(input, probability, *threshold);
            Ok(input.darkness_of(&closure.image))
        }
    }
}

/// The network's probability map of a gapped drawing.
fn run_probability(image: &Drawing, closer: &GapCloser) -> Result<ProbabilityMap, String> {
    let grid = closer.grid(image.width(), image.height(), TileOptions::default().tile_size).map_err(|e| e.to_string())?;
    Ok(closer.predict(&grid, &image.darkness, 1, |_, _| {}))
}

fn tempfile_dir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("fill-line-gaps-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Classical methods add pure black where they close; original ink stays.
fn add_black(gapped: &[u8], closed: &[bool]) -> Vec<u8> {
    gapped.iter().zip(closed).map(|(&d, &c)| if c && d < INK_LEVEL { 255 } else { d }).collect()
}

/// The output in black with added ink in red and clean ink the output misses in blue, so a
/// glance shows missed gaps and stray strokes.
pub fn diagnostic_image(drawing: &EvalDrawing, output: &[u8]) -> RgbImage {
    let pixels = (0..output.len()).flat_map(|i| {
        let (was, now, clean) = (drawing.gapped[i] >= INK_LEVEL, output[i] >= INK_LEVEL, drawing.clean[i] >= INK_LEVEL);
        match (was, now, clean) {
            (false, true, _) => [230, 0, 0],
            (false, false, true) => [0, 90, 255],
            _ => [255 - output[i]; 3],
        }
    });
    RgbImage::from_vec(drawing.width as u32, drawing.height as u32, pixels.collect()).expect("plane matches its size")
}

/// Scores of each method over the whole set (an error skips that method only); with `outputs`,
/// also writes each output there as a diagnostic picture (see [`diagnostic_image`]). With
/// `gap_report`, also fills it with one CSV row per gap: where it is, what kind, whether each model method closed it, and the network's
/// certainty of its surest way across (see [`surest_crossing`]), which tells a gap the network
/// missed from one the composite refused. The report reuses the probabilities and outputs the
/// scores need.
pub fn evaluate(
    methods: &[Method],
    set: &[EvalDrawing],
    closer: &GapCloser,
    outputs: Option<&Path>,
    mut gap_report: Option<&mut String>,
) -> Vec<Result<Scores, String>> {
    let mut totals: Vec<Result<Scores, String>> = vec![Ok(Scores::default()); methods.len()];
    if let Some(csv) = gap_report.as_deref_mut() {
        *csv = gap_report_header(methods);
    }
    for drawing in set {
        let mut run = None;
        // Each model method's output on this drawing; None once that method has failed.
        let mut model_outputs = Vec::new();
        for (method, total) in methods.iter().zip(&mut totals) {
            let output = match total {
                Ok(sum) => match score_drawing(method, drawing, closer, &mut run, outputs) {
                    Ok((scores, output)) => {
                        sum.add(&scores);
                        Some(output)
                    }
                    Err(e) => {
                        *total = Err(format!("{}: {e}", drawing.name));
                        None
                    }
                },
                Err(_) => None,
            };
            if matches!(method, Method::Model(_)) {
                model_outputs.push(output);
            }
        }
        if let Some(csv) = gap_report.as_deref_mut() {
            push_gap_rows(csv, drawing, closer, &mut run, &model_outputs);
        }
    }
    totals
}

fn gap_report_header(methods: &[Method]) -> String {
    let mut header = String::from("drawing,kind,stroke_width,length,x,y,surest_crossing");
    for method in methods {
        if let Method::Model(threshold) = method {
            header.push_str(&format!(",closed_t{threshold}"));
        }
    }
    header + "\n"
}

/// The report's rows for one drawing; a field is empty where its method failed.
fn push_gap_rows(csv: &mut String, drawing: &EvalDrawing, closer: &GapCloser, run: &mut Option<ModelRun>, model_outputs: &[Option<Vec<u8>>]) {
    let probability = model_run(run, drawing, closer).ok().map(|run| &run.probability);
    let ink: Vec<bool> = drawing.gapped.iter().map(|&d| d >= INK_LEVEL).collect();
    let closed_ink: Vec<Option<Vec<bool>>> =
        model_outputs.iter().map(|output| output.as_ref().map(|o| o.iter().map(|&d| d >= INK_LEVEL).collect())).collect();
    for gap in &drawing.gaps {
        let ((ax, ay), (bx, by)) = (gap.side_a, gap.side_b);
        let crossing = probability.map_or(String::new(), |p| format!("{:.3}", surest_crossing(&p.values, &ink, drawing.width, gap)));
        csv.push_str(&format!(
            "{},{:?},{:.1},{:.1},{},{},{crossing}",
            csv_field(&drawing.name),
            gap.kind,
            gap.stroke_width,
            gap.length,
            (ax + bx) / 2,
            (ay + by) / 2
        ));
        for output in &closed_ink {
            csv.push_str(match output {
                Some(ink) if is_closed(ink, drawing.width, gap) => ",1",
                Some(_) => ",0",
                None => ",",
            });
        }
        csv.push('\n');
    }
}

fn score_drawing(
    method: &Method,
    drawing: &EvalDrawing,
    closer: &GapCloser,
    run: &mut Option<ModelRun>,
    outputs: Option<&Path>,
) -> Result<(Scores, Vec<u8>), String> {
    let output = run_method(method, drawing, closer, run)?;
    if let Some(dir) = outputs {
        let stem = drawing.name.rsplit_once('.').map_or(drawing.name.as_str(), |(stem, _)| stem);
        let path = dir.join(format!("{stem}.{}.png", method.name().replace([' ', '=', ','], "_")));
        std::fs::create_dir_all(dir)
            .and_then(|()| diagnostic_image(drawing, &output).save(&path).map_err(std::io::Error::other))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let scores = score(&Case {
        width: drawing.width,
        height: drawing.height,
        clean: &drawing.clean,
        gapped: &drawing.gapped,
        output: &output,
        gaps: &drawing.gaps,
    });
    Ok((scores, output))
}

/// `text` as one CSV field: quoted, quotes doubled, when it holds a comma, quote or newline.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// A Markdown table row per method: the format of the model card.
pub fn table(rows: &[(String, Scores)]) -> String {
    let kinds: Vec<String> = GapKind::ALL.iter().map(|k| k.name().to_owned()).collect();
    let mut out = format!(
        "| method | closure | regions | false ink /MP | lost ink | {} | thin (≤ 2 px) |\n|---|---|---|---|---|{}---|\n",
        kinds.join(" | "),
        "---|".repeat(kinds.len())
    );
    let cell = |closure: Option<f64>| closure.map_or("–".into(), |c| format!("{c:.3}"));
    for (name, s) in rows {
        let per_kind: Vec<String> = GapKind::ALL.iter().map(|&k| cell(s.kind_closure(k))).collect();
        out += &format!(
            "| {name} | {:.3} | {:.3} | {:.0} | {} | {} | {} |\n",
            s.closure(),
            s.region_recovery(),
            s.false_ink_per_megapixel(),
            s.lost_ink,
            per_kind.join(" | "),
            cell(s.thin_closure())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::drawing::procedural;

    #[test]
    fn csv_fields_quote_only_what_needs_it() {
        assert_eq!(csv_field("frog.png"), "frog.png");
        assert_eq!(csv_field("a,b \"c\".png"), "\"a,b \"\"c\"\".png\"");
    }

    #[test]
    fn further_cuts_add_other_gaps_and_jpeg_pencil_and_papers_keep_the_cuts() {
        let dir = tempfile::tempdir().unwrap();
        procedural(256, &mut Rng::new(5)).to_image().save(dir.path().join("shapes.png")).unwrap();
        let one = load_set(dir.path(), &SetOptions::default()).unwrap();
        let three = load_set(dir.path(), &SetOptions { cuts: 3, ..SetOptions::default() }).unwrap();
        let names: Vec<&str> = three.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["shapes.png", "shapes.cut1.png", "shapes.cut2.png"]);
        assert_eq!((&three[0].gapped, &three[0].gaps), (&one[0].gapped, &one[0].gaps), "the first cut is the dev set");
        assert!(three.iter().all(|d| d.clean == one[0].clean && !d.gaps.is_empty()));
        assert_ne!(three[1].gaps, three[0].gaps);
        assert_ne!(three[2].gaps, three[1].gaps);
        let jpeg = load_set(dir.path(), &SetOptions { jpeg_quality: Some(40), ..SetOptions::default() }).unwrap();
        assert_eq!(jpeg[0].gaps, one[0].gaps, "the same cuts, saved as JPEG");
        assert_ne!(jpeg[0].gapped, one[0].gapped);
        assert_eq!(jpeg[0].redrawn, None);
        // In pencil the model is given light lines, and the engine levels them back.
        let pencil = load_set(dir.path(), &SetOptions { pencil: Some(0.35), ..SetOptions::default() }).unwrap();
        assert_eq!(pencil[0].gaps, one[0].gaps);
        assert!(pencil[0].redrawn.as_ref().unwrap().iter().all(|&d| d < 128) && model_input(&pencil[0]).levels.is_some());
        let cream = load_set(dir.path(), &SetOptions { paper: Some(PaperRamp::even(205)), ..SetOptions::default() }).unwrap();
        assert!(cream[0].redrawn.as_ref().unwrap().iter().all(|&d| d >= 50) && model_input(&cream[0]).levels.is_some());
        let lit = load_set(dir.path(), &SetOptions { paper: Some(PaperRamp { top_left: 240, bottom_right: 160 }), ..SetOptions::default() }).unwrap();
        let lit_paper = lit[0].redrawn.as_ref().unwrap();
        let (first, last) = (lit_paper[0], lit_paper[lit_paper.len() - 1]);
        assert!(first.abs_diff(15) <= 1 && last.abs_diff(95) <= 1, "the paper runs from {first} to {last}");
        assert!(model_input(&lit[0]).levels.is_some());
        for levelled in [&pencil[0], &cream[0], &lit[0]] {
            let alike = levelled.gapped.iter().zip(&one[0].gapped).filter(|(p, i)| (**p >= 128) == (**i >= 128)).count();
            assert!(alike * 1000 >= 999 * one[0].gapped.len(), "levelled, the ink is where it was: {alike} of {}", one[0].gapped.len());
        }
    }

    #[test]
    fn jpeg_artefacts_ring_around_lines_and_keep_the_size() {
        let mut canvas = Canvas::new(40, 24);
        canvas.stroke(&[(2.0, 2.0, 1.5), (37.0, 21.0, 1.5)], 1.0, false);
        let clean = darkness_bytes(&canvas.darkness);
        let jpeg = jpeg_round_trip(&canvas.to_image(), 30).unwrap();
        assert_eq!(jpeg.len(), 40 * 24);
        let changed = jpeg.iter().zip(&clean).filter(|(a, b)| a.abs_diff(**b) > 5).count();
        assert!(changed > 24, "only {changed} pixels changed");
        assert!(jpeg[12 * 40 + 20] >= 128 && jpeg[20 * 40 + 5] < 128, "the line survives");
    }
}
