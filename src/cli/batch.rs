//! Batch processing: decode, infer and encode run as a pipeline over the files, so decoding
//! and writing one frame overlap with the model running on the next.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use indicatif::{ProgressBar, ProgressStyle};

use fill_line_gaps::engine::{
    Drawing, GapCloser, ProbabilityMap, TileOptions, closures_layer, composite, decode, encode_png, marked,
};
use fill_line_gaps::files::{find_drawings, write_whole};

use super::CloseArgs;

/// Frames inferred at the same time.
const MODEL_WORKERS: usize = 2;

/// One input and where its results go.
struct Job {
    input: PathBuf,
    output: PathBuf,
}

pub fn close_all(closer: &GapCloser, args: &CloseArgs) -> ExitCode {
    let out_dir = args.out_dir.as_deref().expect("clap requires --out-dir");
    let (mut jobs, mut failures) = plan(&args.inputs, out_dir);
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    if args.skip_done {
        let before = jobs.len();
        jobs.retain(|job| !is_done(job, args));
        let skipped = before - jobs.len();
        if skipped > 0 && !args.quiet {
            eprintln!("skipped {skipped} of {before} drawings: their outputs are newer than them (--skip-done)");
        }
        if jobs.is_empty() && skipped > 0 {
            return if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
        }
    }
    if jobs.is_empty() {
        eprintln!("error: no drawings to process");
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("error: {}: cannot create the output directory: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    let options = TileOptions { tile_size: args.tile_size, ..TileOptions::default() };
    if let Err(e) = closer.grid(1, 1, options.tile_size) {
        eprintln!("error: --tile-size: {e}");
        return ExitCode::FAILURE;
    }
    let progress = Progress::new(jobs.len(), args.quiet);
    let errors = run_pipeline(&jobs, closer, args, options, &progress);
    progress.finish();
    failures.extend(errors);
    if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Expands directories, names the outputs and refuses anything that would overwrite an input
/// or another output.
fn plan(inputs: &[PathBuf], out_dir: &Path) -> (Vec<Job>, Vec<String>) {
    // (input, its path under the output directory)
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let (found, unreadable) = find_drawings(input, Some(out_dir));
            files.extend(found);
            failures.extend(unreadable.iter().map(|(dir, e)| format!("{}: {e}", dir.display())));
        } else {
            match input.file_name() {
                Some(name) => files.push((input.clone(), PathBuf::from(name))),
                None => failures.push(format!("{}: not a file name", input.display())),
            }
        }
    }
    let inputs_canonical: Vec<PathBuf> = files.iter().filter_map(|(f, _)| f.canonicalize().ok()).collect();
    let mut claimed: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut jobs = Vec::new();
    for (input, place) in files {
        let output = out_dir.join(place.with_extension("png"));
        let outputs = [output.clone(), sibling(&output, "mark"), sibling(&output, "closures")];
        let overwrites_input = outputs.iter().any(|o| o.canonicalize().is_ok_and(|o| inputs_canonical.contains(&o)));
        if overwrites_input {
            failures.push(format!(
                "{}: refusing to overwrite an input; choose an output directory without the inputs",
                input.display()
            ));
        } else if let Some(first) = claimed.get(&output) {
            failures.push(format!("{}: same output name as {}; skipped", input.display(), first.display()));
        } else {
            claimed.insert(output.clone(), input.clone());
            jobs.push(Job { input, output });
        }
    }
    (jobs, failures)
}

/// Whether every output the options ask for exists and was written after the input changed.
fn is_done(job: &Job, args: &CloseArgs) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let Some(input_time) = modified(&job.input) else { return false };
    let wanted = [Some(job.output.clone()), args.mark.then(|| sibling(&job.output, "mark")), args.layer.then(|| sibling(&job.output, "closures"))];
    wanted.into_iter().flatten().all(|output| modified(&output).is_some_and(|time| time >= input_time))
}

/// `frame.png` → `frame.<suffix>.png`.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let stem = output.file_stem().unwrap_or_default().to_string_lossy();
    output.with_file_name(format!("{stem}.{suffix}.png"))
}

/// Decoders feed the model workers, which feed the encoders; bounded channels keep at most a
/// few frames in memory.
fn run_pipeline(jobs: &[Job], closer: &GapCloser, args: &CloseArgs, options: TileOptions, progress: &Progress) -> Vec<String> {
    let workers = usize::from(args.jobs).min(jobs.len());
    let next = AtomicUsize::new(0);
    let errors = Mutex::new(Vec::new());
    let fail = |job: &Job, reason: String| {
        let line = format!("{}: {reason}", job.input.display());
        progress.println(&format!("error: {line}"));
        errors.lock().expect("no panics while holding the lock").push(line);
        progress.file_done();
    };
    let (decoded_tx, decoded_rx) = mpsc::sync_channel::<(usize, Drawing)>(1);
    let (inferred_tx, inferred_rx) = mpsc::sync_channel::<(usize, Drawing, ProbabilityMap)>(1);
    let (decoded_rx, inferred_rx) = (Mutex::new(decoded_rx), Mutex::new(inferred_rx));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let decoded_tx = decoded_tx.clone();
            let (next, fail) = (&next, &fail);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    match std::fs::read(&job.input).map_err(|e| e.to_string()).and_then(|b| decode(&b).map_err(|e| e.to_string())) {
                        Ok(drawing) => {
                            if let Some(warning) = drawing.faint_lines_warning() {
                                progress.println(&format!("warning: {}: {warning}", job.input.display()));
                            }
                            if let Some(note) = drawing.levels_note().filter(|_| !args.quiet) {
                                progress.println(&format!("note: {}: {note}", job.input.display()));
                            }
                            if decoded_tx.send((index, drawing)).is_err() {
                                break;
                            }
                        }
                        Err(reason) => fail(job, reason),
                    }
                }
            });
        }
        drop(decoded_tx);
        for _ in 0..workers {
            let (inferred_rx, fail) = (&inferred_rx, &fail);
            scope.spawn(move || {
                loop {
                    let received = inferred_rx.lock().expect("no panics while holding the lock").recv();
                    let Ok((index, drawing, probability)) = received else { break };
                    let job = &jobs[index];
                    match write_results(job, &drawing, &probability, args) {
                        Ok(added) => {
                            progress.report(&job.input, &job.output, added);
                            progress.file_done();
                        }
                        Err(reason) => fail(job, reason),
                    }
                }
            });
        }
        // Two frames in the network at once: single-threaded stretches of one frame's
        // inference leave the other core to the second frame.
        for _ in 0..MODEL_WORKERS {
            let (decoded_rx, inferred_tx, fail) = (&decoded_rx, inferred_tx.clone(), &fail);
            scope.spawn(move || {
                loop {
                    let received = decoded_rx.lock().expect("no panics while holding the lock").recv();
                    let Ok((index, drawing)) = received else { break };
                    let job = &jobs[index];
                    let grid = match closer.grid(drawing.width(), drawing.height(), options.tile_size) {
                        Ok(grid) => grid,
                        Err(e) => {
                            fail(job, e.to_string());
                            continue;
                        }
                    };
                    progress.tiles(index, &job.input, 0, grid.len());
                    let probability = closer.predict(&grid, &drawing.darkness, options.batch, |done, total| {
                        progress.tiles(index, &job.input, done, total)
                    });
                    progress.inferred(index);
                    if inferred_tx.send((index, drawing, probability)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(inferred_tx);
    });
    errors.into_inner().expect("no panics while holding the lock")
}

/// Composites, encodes and writes one drawing's outputs; returns the number of added pixels.
fn write_results(job: &Job, drawing: &Drawing, probability: &ProbabilityMap, args: &CloseArgs) -> Result<usize, String> {
    let closure = composite(drawing, probability, args.threshold);
    let write = |path: &Path, image: &image::DynamicImage| -> Result<(), String> {
        let bytes = encode_png(image, &drawing.metadata).map_err(|e| format!("cannot encode {}: {e}", path.display()))?;
        write_whole(path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let Some(dir) = job.output.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    write(&job.output, &closure.image)?;
    if args.mark {
        let preview = image::DynamicImage::ImageRgba8(marked(&drawing.image, &closure.added));
        write(&sibling(&job.output, "mark"), &preview)?;
    }
    if args.layer {
        write(&sibling(&job.output, "closures"), &closures_layer(&closure.image, &closure.added))?;
    }
    Ok(closure.added_pixels)
}

/// A bar over files (with the tiles of each file in the network) on a terminal; one
/// tab-separated line per finished file (`input`, `output`, added pixels) on stdout otherwise;
/// only errors and warnings when quiet.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// The files in the network: job index, name, tiles done and total.
    running: Mutex<Vec<(usize, String, usize, usize)>>,
}

impl Progress {
    fn new(files: usize, quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(files as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed_precise} eta {eta} {msg}")
                    .expect("a valid template"),
            );
            bar
        });
        Self { bar, quiet, running: Mutex::new(Vec::new()) }
    }

    fn tiles(&self, job: usize, input: &Path, done: usize, total: usize) {
        self.update_running(|running| match running.iter_mut().find(|r| r.0 == job) {
            Some(entry) => (entry.2, entry.3) = (done, total),
            None => running.push((job, input.file_name().unwrap_or_default().to_string_lossy().into_owned(), done, total)),
        });
    }

    fn inferred(&self, job: usize) {
        self.update_running(|running| running.retain(|r| r.0 != job));
    }

    /// Changes the list of files in the network and shows it: `a.png 3/6 tiles · b.png 1/6 tiles`.
    fn update_running(&self, change: impl FnOnce(&mut Vec<(usize, String, usize, usize)>)) {
        let Some(bar) = &self.bar else { return };
        let mut running = self.running.lock().expect("no panics while holding the lock");
        change(&mut running);
        let shown: Vec<String> = running.iter().map(|(_, name, done, total)| format!("{name} {done}/{total} tiles")).collect();
        bar.set_message(shown.join(" · "));
    }

    fn report(&self, input: &Path, output: &Path, added: usize) {
        if self.bar.is_none() && !self.quiet {
            println!("{}\t{}\t{added}", input.display(), output.display());
        }
    }

    fn file_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
