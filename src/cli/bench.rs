//! `fill-line-gaps bench`: one table of seconds, peak memory and model cost per frame at 1080p
//! and 4K, next to the seed network run by onnxruntime in the same invocation (these machines
//! are noisy, so only the ratio measured side by side means much), and a batch through the
//! CLI's pipeline to show whether both cores stay busy.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use fill_line_gaps::engine::{DEFAULT_THRESHOLD, Drawing, GapCloser, Metadata, TileOptions, Views, composite, encode_png};
use fill_line_gaps::synth::{Rng, SitePicking, cut_gaps, drawing::procedural};
use image::{DynamicImage, GrayImage, Luma};

use super::{Backend, CloseArgs, ViewsArg, batch};

pub struct BenchOptions {
    pub backend: Backend,
    pub tiles: TileOptions,
    pub runs: usize,
    pub views: Views,
    /// The seed network's runner (`bench.py` beside `lite_unet_seed.onnx`) and the Python
    /// that has onnxruntime; `None` leaves the comparison out.
    pub seed: Option<(PathBuf, PathBuf)>,
    /// 1080p frames pushed through the CLI's batch pipeline (0: skip).
    pub batch_frames: usize,
}

/// A frame of line art: procedural drawings with gaps tiled over the frame, so the network
/// sees realistic ink density.
fn frame(width: u32, height: u32) -> Drawing {
    let mut rng = Rng::new(5);
    let patch = 512usize;
    let mut image = GrayImage::from_pixel(width, height, Luma([255]));
    for py in (0..height).step_by(patch) {
        for px in (0..width).step_by(patch) {
            let (cut, _) = cut_gaps(&procedural(patch, &mut rng), 10, 16.0, SitePicking::Random, &mut rng);
            image::imageops::replace(&mut image, &cut.to_image(), px as i64, py as i64);
        }
    }
    Drawing::from_image(DynamicImage::ImageLuma8(image))
}

/// Resource use from `getrusage`: CPU seconds of this process, or the peak resident memory of
/// the largest finished child.
fn usage(who: libc::c_int) -> libc::rusage {
    // SAFETY: getrusage only writes the struct it is given.
    unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(who, &mut usage);
        usage
    }
}

fn cpu_seconds() -> f64 {
    let u = usage(libc::RUSAGE_SELF);
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    seconds(u.ru_utime) + seconds(u.ru_stime)
}

/// Resets the kernel's count of this process's peak resident memory (Linux), so that
/// [`peak_mib`] measures from here.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process since the last [`reset_peak`], in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

struct Row {
    path: String,
    size: (u32, u32),
    seconds: f64,
    peak_mib: Option<f64>,
    gmac: f64,
    /// Seed seconds over ours: how many times faster than the seed.
    speedup: Option<f64>,
}

impl Row {
    fn print(&self) {
        let peak = self.peak_mib.map_or("n/a".to_owned(), |p| format!("{p:.0}"));
        let speedup = self.speedup.map_or("–".to_owned(), |s| format!("{s:.1}×"));
        println!(
            "| {} | {}×{} | {:.3} | {peak} | {:.2} | {:.1} | {speedup} |",
            self.path,
            self.size.0,
            self.size.1,
            self.seconds,
            self.gmac,
            self.gmac / self.seconds
        );
    }
}

/// Median seconds of our whole frame (tiles, model, stitching, composite) and the peak memory.
fn ours(closer: &GapCloser, options: &BenchOptions, (width, height): (u32, u32)) -> Result<(f64, Option<f64>), String> {
    let drawing = frame(width, height);
    let grid = closer.grid(width as usize, height as usize, options.tiles.tile_size).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    reset_peak();
    for _ in 0..options.runs.max(1) + 1 {
        let started = Instant::now();
        let probability = closer.predict(&grid, &drawing.darkness, options.tiles.batch, |_, _| {});
        let closure = composite(&drawing, &probability, DEFAULT_THRESHOLD);
        std::hint::black_box(closure.added_pixels);
        times.push(started.elapsed().as_secs_f64());
    }
    times.remove(0); // warm-up
    Ok((median(times), peak_mib()))
}

/// Runs the seed's `bench.py` for one frame size; returns median seconds, GMAC per frame and
/// the runner's peak memory.
fn seed(runner: &Path, python: &Path, (width, height): (u32, u32), runs: usize) -> Result<(f64, f64, f64), String> {
    let case = match (width, height) {
        (1920, 1080) => "1080p",
        (3840, 2160) => "4k",
        _ => return Err(format!("the seed runner has no {width}×{height} case")),
    };
    let json = std::env::temp_dir().join(format!("fill-line-gaps-seed-{}-{case}.json", std::process::id()));
    let output = Command::new(python)
        .arg(runner)
        .args(["--cases", case, "--threads", "2", "--warmup", "1", "--runs", &runs.max(1).to_string(), "--json"])
        .arg(&json)
        .output()
        .map_err(|e| format!("cannot run {} {}: {e}", python.display(), runner.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{} failed: {}", runner.display(), stderr.lines().last().unwrap_or("no message")));
    }
    let text = std::fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display()))?;
    let _ = std::fs::remove_file(&json);
    let report: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json.display()))?;
    let result = &report["results"][0];
    let (Some(seconds), Some(gmac)) = (result["median_s"].as_f64(), result["gmac"].as_f64()) else {
        return Err(format!("{}: no median_s/gmac in its JSON", runner.display()));
    };
    let peak_mib = usage(libc::RUSAGE_CHILDREN).ru_maxrss as f64 / 1024.0;
    Ok((seconds, gmac, peak_mib))
}

/// Pushes `frames` 1080p PNGs through the CLI's pipeline; returns seconds per frame and the
/// CPU seconds per wall second (2.0 = both cores busy all the time).
fn batch_through_cli(closer: &GapCloser, options: &BenchOptions) -> Result<(f64, f64), String> {
    let dir = std::env::temp_dir().join(format!("fill-line-gaps-bench-{}", std::process::id()));
    let (inputs, outputs) = (dir.join("in"), dir.join("out"));
    std::fs::create_dir_all(&inputs).map_err(|e| format!("{}: {e}", inputs.display()))?;
    let png = encode_png(&frame(1920, 1080).image, &Metadata::default()).map_err(|e| e.to_string())?;
    for i in 0..options.batch_frames {
        let path = inputs.join(format!("frame_{i:04}.png"));
        std::fs::write(&path, &png).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let args = CloseArgs {
        inputs: vec![inputs],
        out_dir: Some(outputs),
        threshold: DEFAULT_THRESHOLD,
        tile_size: options.tiles.tile_size,
        views: ViewsArg { views: options.views },
        mark: false,
        layer: false,
        backend: options.backend,
        jobs: 2,
        weights: None,
        skip_done: false,
        quiet: true,
    };
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let status = batch::close_all(closer, &args);
    let (wall, cpu) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let _ = std::fs::remove_dir_all(&dir);
    if status != ExitCode::SUCCESS {
        return Err("the batch failed".into());
    }
    Ok((wall / options.batch_frames as f64, cpu / wall))
}

pub fn bench(closer: &GapCloser, options: &BenchOptions) -> ExitCode {
    let views = options.views.count();
    let path = format!("{:?}, {views} view{}", options.backend, if views == 1 { "" } else { "s" }).to_lowercase();
    let macs_per_pixel = closer.config().macs_per_pixel() * options.views.work();
    println!("| path | size | median s | peak MiB | GMAC/frame | GMAC/s | vs seed |\n|---|---|---|---|---|---|---|");
    for size in [(1920u32, 1080u32), (3840, 2160)] {
        let (seconds, peak_mib) = match ours(closer, options, size) {
            Ok(measured) => measured,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        // The cost of the frame itself; the tiles' overlaps add work the GMAC/s figure hides.
        let gmac = macs_per_pixel * f64::from(size.0 * size.1) / 1e9;
        let seed = options.seed.as_ref().map(|(runner, python)| seed(runner, python, size, options.runs));
        let speedup = match &seed {
            Some(Ok((seed_seconds, _, _))) => Some(seed_seconds / seconds),
            _ => None,
        };
        Row { path: path.clone(), size, seconds, peak_mib, gmac, speedup }.print();
        match seed {
            Some(Ok((seconds, gmac, peak))) => {
                Row { path: "seed (onnxruntime)".into(), size, seconds, peak_mib: Some(peak), gmac, speedup: Some(1.0) }.print()
            }
            Some(Err(e)) => eprintln!("warning: seed network skipped: {e}"),
            None => {}
        }
    }
    if options.batch_frames > 0 {
        match batch_through_cli(closer, options) {
            Ok((seconds, busy)) => println!(
                "\nCLI batch of {} 1920×1080 PNGs (decode → model → composite → encode): {seconds:.3} s per frame, \
                 {busy:.2} CPU-seconds per second of wall time on {} cores",
                options.batch_frames,
                std::thread::available_parallelism().map_or(0, |n| n.get())
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
