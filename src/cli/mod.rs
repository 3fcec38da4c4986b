//! The command line: argument parsing and dispatch. The work is in the library.

mod batch;
mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use burn::prelude::Device;
use clap::{Parser, Subcommand, ValueEnum};

use fill_line_gaps::engine::{DEFAULT_THRESHOLD, GapCloser, TileOptions, Views};
use fill_line_gaps::eval::PaperRamp;
use fill_line_gaps::model::{DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME, GapNetConfig};
use fill_line_gaps::synth::CropScale;
use fill_line_gaps::train::{TrainOptions, train};

#[derive(Parser, Debug)]
#[command(version, about = "Closes the small gaps in line art so that bucket fill no longer leaks.")]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    close: CloseArgs,
}

#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    /// Drawings, or directories of drawings, searched at any depth (PNG, JPEG, WebP, TIFF, BMP, TGA).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where the closed drawings go, under their input file names (as .png); a directory's
    /// subdirectories are kept.
    #[arg(short, long, required = true)]
    pub out_dir: Option<PathBuf>,
    /// Sensitivity: the ink probability above which paper becomes ink (lower closes more).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_parser = parse_threshold)]
    pub threshold: f32,
    /// Tile side in pixels; larger tiles waste less work on overlaps and use more memory.
    #[arg(long, default_value_t = TileOptions::default().tile_size)]
    pub tile_size: usize,
    #[command(flatten)]
    pub views: ViewsArg,
    /// Also write <name>.mark.png: the input with added pixels in red.
    #[arg(long)]
    pub mark: bool,
    /// Also write <name>.closures.png: only the added strokes, on transparency.
    #[arg(long)]
    pub layer: bool,
    #[arg(long, value_enum, default_value_t = Backend::Cpu)]
    pub backend: Backend,
    /// Files decoded and encoded in parallel while the model runs.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Weights to use instead of the built-in model.
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Skip drawings whose outputs are all newer than the drawing, to resume an interrupted
    /// batch (the settings they were made with are not compared).
    #[arg(long)]
    pub skip_done: bool,
    /// No progress bar and no per-file lines; errors and warnings are still reported.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Backend {
    /// Pure-Rust CPU inference (burn-flex), everywhere.
    Cpu,
    /// The GPU through wgpu (Vulkan, Metal, DX12); falls back to the CPU when none is found.
    Wgpu,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train the model on synthesised gaps (see models/README.md).
    Train(TrainArgs),
    /// Time the engine on 1920×1080 and 3840×2160 line-art frames.
    Bench(BenchArgs),
    /// Score the model and classical methods on a directory of clean drawings with cut gaps.
    Eval(EvalArgs),
}

#[derive(clap::Args, Debug)]
struct EvalArgs {
    /// Clean line drawings (see tests/eval/prepare.sh for the dev set).
    dir: PathBuf,
    /// Longest gap cut, in pixels.
    #[arg(long, default_value_t = 16.0)]
    max_gap: f32,
    /// Independent sets of gaps to cut into each drawing; the first is the model card's dev
    /// set. More cuts tell close models apart (one gap of 510 is 0.2 % of closure).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    cuts: u16,
    /// Save each gapped drawing as a JPEG of this quality (1–100) before any method sees it.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    jpeg: Option<u8>,
    /// Redraw each gapped drawing in light pencil, its darkness times this share (0.1–0.5), as
    /// an unlevelled pencil sketch; scores are taken as the engine levels the drawing.
    #[arg(long, value_parser = parse_pencil)]
    pencil: Option<f32>,
    /// Put each gapped drawing on paper of this grey (1–254), as a scan of toned paper, or of
    /// a ramp FROM:TO from the top-left corner to the bottom-right, as a photo in uneven light.
    #[arg(long, value_parser = parse_paper)]
    paper: Option<PaperRamp>,
    /// Thresholds at which to score the model.
    #[arg(long, value_delimiter = ',', default_values_t = [DEFAULT_THRESHOLD], value_parser = parse_threshold)]
    threshold: Vec<f32>,
    /// Score only the model, not the identity, closings and G'MIC.
    #[arg(long)]
    model_only: bool,
    /// Also write every output here with added ink in red and clean ink still missing in blue.
    #[arg(long)]
    outputs: Option<PathBuf>,
    /// Radii of the morphological closings to compare.
    #[arg(long, value_delimiter = ',', default_value = "2,4,8")]
    closing: Vec<usize>,
    /// Argument lists for G'MIC's close_binary to compare (needs Debian's gmic); the first
    /// default is G'MIC's own default.
    #[arg(long, default_values_t = ["75,2,80,20,90,1,100,1".to_owned()])]
    gmic: Vec<String>,
    /// Also write the table here, as Markdown.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Also write one CSV row per gap here: kind, size, place, whether each threshold closed
    /// it, and the network's certainty of its surest way across (a miss with a high one was
    /// refused by the composite, with a low one never seen by the network).
    #[arg(long)]
    gap_report: Option<PathBuf>,
    #[arg(long)]
    weights: Option<PathBuf>,
    #[command(flatten)]
    views: ViewsArg,
}

#[derive(clap::Args, Debug)]
struct BenchArgs {
    #[arg(long, value_enum, default_value_t = Backend::Cpu)]
    backend: Backend,
    /// Timed runs per size (after one warm-up); the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[arg(long, default_value_t = TileOptions::default().tile_size)]
    tile_size: usize,
    #[arg(long, default_value_t = TileOptions::default().batch)]
    batch: usize,
    #[command(flatten)]
    views: ViewsArg,
    /// The seed network's runner to compare with, run in the same invocation (skipped when
    /// the file is missing).
    #[arg(long, default_value = "../shared/anchors/seed-model/bench.py")]
    seed_runner: PathBuf,
    /// A Python with onnxruntime, onnx and numpy for the seed runner.
    #[arg(long, default_value = "python3")]
    python: PathBuf,
    /// 1920×1080 frames to push through the batch pipeline (0 skips it).
    #[arg(long, default_value_t = 100)]
    batch_frames: usize,
}

#[derive(clap::Args, Debug)]
struct TrainArgs {
    /// Directories of clean line-art images to cut gaps into (mixed with procedural drawings).
    #[arg(long = "drawings")]
    drawings: Vec<PathBuf>,
    /// Scales at which those drawings are cropped, LOW,HIGH (0.25 to 4), picked log-uniformly:
    /// below 1 thins their strokes and tightens their corners, above 1 thickens them.
    #[arg(long, value_delimiter = ',', num_args = 1, default_value = "1,1")]
    crop_scale: Vec<f32>,
    /// Where the trained weights go.
    #[arg(long, default_value = "models/gapnet.bpk")]
    out: PathBuf,
    /// Resumable state; an existing checkpoint is resumed.
    #[arg(long, default_value = "models/checkpoint")]
    checkpoint_dir: PathBuf,
    /// Channel widths at 1/4, 1/8 and 1/16 resolution [default: the checkpoint's, or
    /// 32,64,96 for a new run]. Wider than the checkpoint grows it, keeping what it learned.
    #[arg(long, value_delimiter = ',')]
    widths: Option<Vec<usize>>,
    #[arg(long, default_value_t = 128)]
    patch: usize,
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Where the learning-rate schedule ends (warm-up, then cosine decay to 5 %).
    #[arg(long, default_value_t = 20_000)]
    steps: usize,
    /// Stop after this step (with a checkpoint), keeping the schedule of --steps; the next
    /// run resumes from the checkpoint.
    #[arg(long)]
    stop_at: Option<usize>,
    #[arg(long, default_value_t = 2e-3)]
    lr: f64,
    /// Start the schedule (warm-up, then decay to --steps) at this step instead of 0: a warm
    /// restart from a checkpoint.
    #[arg(long, default_value_t = 0)]
    schedule_start: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 50)]
    log_every: usize,
    #[arg(long, default_value_t = 500)]
    checkpoint_every: usize,
    /// Validation drawings (256×256) scored at every checkpoint.
    #[arg(long, default_value_t = 24)]
    validation_samples: usize,
    /// Where the training steps run; samples are synthesised on all CPU cores either way.
    #[arg(long, value_enum, default_value_t = Backend::Cpu)]
    backend: Backend,
}

/// `--views`, shared by closing, `eval` and `bench`.
#[derive(clap::Args, Debug)]
pub struct ViewsArg {
    /// Views of each tile the network sees (1 or 2): 2 adds a view zoomed 1.25×, which closes
    /// more gaps with less stray ink and fewer leaks, for 2.6 times the work.
    #[arg(long, default_value = "1", value_parser = parse_views)]
    pub views: Views,
}

fn parse_views(text: &str) -> Result<Views, String> {
    text.parse().ok().and_then(Views::from_count).ok_or_else(|| "must be 1 or 2".into())
}

fn parse_threshold(text: &str) -> Result<f32, String> {
    let value: f32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if value > 0.0 && value < 1.0 { Ok(value) } else { Err("must be between 0 and 1 (exclusive)".into()) }
}

fn parse_pencil(text: &str) -> Result<f32, String> {
    let value: f32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (0.1..0.5).contains(&value) { Ok(value) } else { Err("must be at least 0.1 and under 0.5: lighter than the ink level".into()) }
}

fn parse_paper(text: &str) -> Result<PaperRamp, String> {
    let grey = |part: &str| match part.trim().parse::<u8>() {
        Ok(grey @ 1..=254) => Ok(grey),
        _ => Err(format!("`{part}` is not a grey from 1 to 254")),
    };
    match text.split_once(':') {
        Some((from, to)) => Ok(PaperRamp { top_left: grey(from)?, bottom_right: grey(to)? }),
        None => grey(text).map(PaperRamp::even),
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Train(args)) => {
            let widths = match args.widths.map(<[usize; 3]>::try_from) {
                None => None,
                Some(Ok(widths)) if GapNetConfig::widths_are_valid(&widths) => Some(widths),
                Some(_) => {
                    eprintln!("error: --widths takes three numbers from 1 to {}", GapNetConfig::MAX_WIDTH);
                    return ExitCode::FAILURE;
                }
            };
            if args.patch % 16 != 0 || args.patch < 64 {
                eprintln!("error: --patch must be a multiple of 16, at least 64");
                return ExitCode::FAILURE;
            }
            let crop_scale = match args.crop_scale[..] {
                [low, high] if (CropScale { low, high }).is_valid() => CropScale { low, high },
                _ => {
                    let (low, high) = CropScale::LIMITS;
                    eprintln!("error: --crop-scale takes two numbers LOW,HIGH with {low} ≤ LOW ≤ HIGH ≤ {high}");
                    return ExitCode::FAILURE;
                }
            };
            if args.schedule_start >= args.steps {
                eprintln!("error: --schedule-start must be below --steps");
                return ExitCode::FAILURE;
            }
            let options = TrainOptions {
                source_dirs: args.drawings,
                crop_scale,
                out: args.out,
                checkpoint_dir: args.checkpoint_dir,
                widths,
                patch: args.patch,
                batch: args.batch.max(1),
                steps: args.steps,
                stop_at: args.stop_at,
                learning_rate: args.lr,
                schedule_start: args.schedule_start,
                seed: args.seed,
                log_every: args.log_every.max(1),
                checkpoint_every: args.checkpoint_every.max(1),
                validation_samples: args.validation_samples,
                device: device_for(args.backend),
            };
            match train(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Bench(args)) => with_closer(args.backend, None, args.views.views, |closer| {
            if !args.seed_runner.is_file() {
                eprintln!("warning: {}: not found, the seed network is left out", args.seed_runner.display());
            }
            bench::bench(
                closer,
                &bench::BenchOptions {
                    backend: args.backend,
                    tiles: TileOptions { tile_size: args.tile_size, batch: args.batch.max(1) },
                    runs: args.runs,
                    views: args.views.views,
                    seed: args.seed_runner.is_file().then(|| (args.seed_runner.clone(), args.python.clone())),
                    batch_frames: args.batch_frames,
                },
            )
        }),
        Some(Command::Eval(args)) => with_closer(Backend::Cpu, args.weights.as_deref(), args.views.views, |closer| eval(closer, &args)),
        None => {
            let close = &cli.close;
            with_closer(close.backend, close.weights.as_deref(), close.views.views, |closer| batch::close_all(closer, close))
        }
    }
}

fn eval(closer: &GapCloser, args: &EvalArgs) -> ExitCode {
    use fill_line_gaps::eval::{Method, SetOptions, evaluate, load_set, table};
    let set = match load_set(&args.dir, &SetOptions { max_gap: args.max_gap, cuts: args.cuts.into(), jpeg_quality: args.jpeg, pencil: args.pencil, paper: args.paper }) {
        Ok(set) if !set.is_empty() => set,
        Ok(_) => {
            eprintln!("error: {}: no drawings", args.dir.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let gaps: usize = set.iter().map(|d| d.gaps.len()).sum();
    eprintln!("{} drawings, {gaps} gaps", set.len());
    let mut methods = Vec::new();
    if !args.model_only {
        methods.push(Method::Identity);
        methods.extend(args.closing.iter().map(|&r| Method::Closing(r)));
        methods.extend(args.gmic.iter().map(|a| Method::Gmic(a.clone())));
    }
    methods.extend(args.threshold.iter().map(|&t| Method::Model(t)));
    let mut rows = Vec::new();
    let mut gap_report = String::new();
    let report = args.gap_report.as_ref().map(|_| &mut gap_report);
    for (method, result) in methods.iter().zip(evaluate(&methods, &set, closer, args.outputs.as_deref(), report)) {
        match result {
            Ok(scores) => rows.push((method.name(), scores)),
            Err(e) => eprintln!("warning: {} skipped: {e}", method.name()),
        }
    }
    let table = table(&rows);
    print!("{table}");
    if let Some(path) = &args.markdown
        && let Err(e) = std::fs::write(path, &table)
    {
        eprintln!("error: {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    if let Some(path) = &args.gap_report
        && let Err(e) = std::fs::write(path, &gap_report)
    {
        eprintln!("error: {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The chosen device, or the CPU with a warning when no wgpu device is found. The CPU also
/// becomes burn's default device, where burn puts what it loads without a device (a resumed
/// optimizer's state): otherwise that would start a GPU, or panic where there is none.
fn device_for(backend: Backend) -> Device {
    let gpu = match backend {
        Backend::Cpu => None,
        Backend::Wgpu => Device::wgpu_options().init().map_err(|e| eprintln!("warning: no wgpu device ({e}); using the CPU")).ok(),
    };
    gpu.unwrap_or_else(|| {
        // SAFETY: called once at start-up, before this process starts threads that read the
        // environment (the failed wgpu probe's thread has ended).
        unsafe { std::env::set_var("BURN_DEVICE", "flex") };
        Device::flex()
    })
}

/// Runs `command` with the network on the chosen device, from `weights` or the built-in model,
/// seeing `views`; a model that cannot be loaded is reported and fails the command.
fn with_closer(backend: Backend, weights: Option<&Path>, views: Views, command: impl FnOnce(&GapCloser) -> ExitCode) -> ExitCode {
    match load_closer(backend, weights, views) {
        Ok(closer) => command(&closer),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load_closer(backend: Backend, weights: Option<&Path>, views: Views) -> Result<GapCloser, String> {
    let device = device_for(backend);
    let (bytes, name) = match weights {
        Some(path) => (std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?, path.display().to_string()),
        None => (DEFAULT_WEIGHTS.to_vec(), DEFAULT_WEIGHTS_NAME.to_owned()),
    };
    GapCloser::from_weights(&bytes, &name, device).map(|closer| closer.with_views(views)).map_err(|e| e.to_string())
}
