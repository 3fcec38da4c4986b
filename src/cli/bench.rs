//! `fill-line-gaps bench`: seconds, peak memory and model cost per frame at 1080p and 4K.

use std::process::ExitCode;
use std::time::Instant;

use fill_line_gaps::engine::{DEFAULT_THRESHOLD, Drawing, GapCloser, TileOptions, composite};
use fill_line_gaps::synth::{Rng, cut_gaps, drawing::procedural};
use image::{DynamicImage, GrayImage, Luma};

/// A frame of line art: procedural drawings with gaps tiled over the frame, so the network
/// sees realistic ink density.
fn frame(width: u32, height: u32) -> Drawing {
    let mut rng = Rng::new(5);
    let patch = 512usize;
    let mut image = GrayImage::from_pixel(width, height, Luma([255]));
    for py in (0..height).step_by(patch) {
        for px in (0..width).step_by(patch) {
            let (cut, _) = cut_gaps(&procedural(patch, &mut rng), 10, 16.0, &mut rng);
            image::imageops::replace(&mut image, &cut.to_image(), px as i64, py as i64);
        }
    }
    Drawing::from_image(DynamicImage::ImageLuma8(image))
}

/// Peak resident memory of this process, in MiB (Linux), after resetting the peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub fn bench(closer: &GapCloser, backend: &str, options: TileOptions, runs: usize) -> ExitCode {
    let macs_per_pixel = closer.config().macs_per_pixel();
    println!(
        "{:<6} {:>10} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8}",
        "path", "size", "median s", "min s", "peak MiB", "GMAC/frame", "GMAC run", "GMAC/s"
    );
    for (width, height) in [(1920u32, 1080u32), (3840, 2160)] {
        let drawing = frame(width, height);
        let Ok(grid) = closer.grid(width as usize, height as usize, options) else {
            eprintln!("error: tile size {} is too small", options.tile_size);
            return ExitCode::FAILURE;
        };
        let executed = macs_per_pixel * (grid.len() * grid.tile_w * grid.tile_h) as f64 / 1e9;
        let nominal = macs_per_pixel * (width * height) as f64 / 1e9;
        let mut times = Vec::new();
        reset_peak();
        for _ in 0..runs.max(1) + 1 {
            let started = Instant::now();
            let probability = closer.predict(&grid, &drawing.darkness, options.batch, |_, _| {});
            let closure = composite(&drawing, &probability, DEFAULT_THRESHOLD);
            std::hint::black_box(closure.added_pixels);
            times.push(started.elapsed().as_secs_f64());
        }
        times.remove(0); // warm-up
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let peak = peak_mib().map_or("n/a".to_owned(), |p| format!("{p:.0}"));
        println!(
            "{backend:<6} {:>10} {median:>9.3} {:>9.3} {peak:>9} {nominal:>10.2} {executed:>10.2} {:>8.1}",
            format!("{width}x{height}"),
            times[0],
            executed / median
        );
    }
    ExitCode::SUCCESS
}
