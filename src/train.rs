//! The trainer: fits [`GapNet`] on synthesised samples with Adam, logging loss and
//! validation scores, writing resumable checkpoints. Every sample is derived from the seed and
//! the step number alone, so a resumed run sees exactly the samples an uninterrupted one would.

use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::activation::log_sigmoid;
use rayon::prelude::*;

use crate::engine::{Drawing, GapCloser, TileOptions, composite, DEFAULT_THRESHOLD};
use crate::files::{find_drawings, write_whole};
use crate::model::{GapNet, GapNetConfig, load_weights, save_weights};
use crate::score::{Case, Scores, score};
use crate::synth::{Canvas, CropScale, Rng, Sample, SampleSource, darkness_bytes};

#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub source_dirs: Vec<PathBuf>,
    /// The scales the drawings of `source_dirs` are cropped at.
    pub crop_scale: CropScale,
    pub out: PathBuf,
    pub checkpoint_dir: PathBuf,
    /// None: the checkpoint's widths, or the default for a new run. Wider than the checkpoint
    /// grows it (see [`GapNet::grown`]) and restarts the optimizer.
    pub widths: Option<[usize; 3]>,
    pub patch: usize,
    pub batch: usize,
    pub steps: usize,
    /// Ends this invocation after this step (with a checkpoint) while keeping the learning-rate
    /// schedule of `steps`, so a run split over sessions can be replayed exactly.
    pub stop_at: Option<usize>,
    pub learning_rate: f64,
    /// The step the learning-rate schedule starts from: 0, or a resumed checkpoint's step to
    /// begin a new warm-up and decay (a warm restart) instead of continuing the old one.
    pub schedule_start: usize,
    pub seed: u64,
    pub log_every: usize,
    pub checkpoint_every: usize,
    pub validation_samples: usize,
    /// Where training and validation run: burn-flex, or wgpu.
    pub device: Device,
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{0}")]
    Weights(#[from] crate::model::WeightsError),
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("optimizer state: {0}")]
    Optimizer(String),
    #[error("{0}")]
    Grow(#[from] crate::model::GrowError),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> TrainError + '_ {
    move |e| TrainError::Io { path: path.to_owned(), reason: e.to_string() }
}

/// Clean line art from the drawings under `dirs` (at any depth, as the CLI finds them), as
/// darkness canvases.
pub fn load_drawings(dirs: &[PathBuf]) -> Result<Vec<Canvas>, TrainError> {
    let mut drawings = Vec::new();
    for dir in dirs {
        let (found, unreadable) = find_drawings(dir, None);
        if let Some((folder, e)) = unreadable.into_iter().next() {
            return Err(io_error(&folder)(e));
        }
        for (path, _) in found {
            let bytes = std::fs::read(&path).map_err(io_error(&path))?;
            let drawing = crate::engine::decode(&bytes).map_err(|e| TrainError::Io { path: path.clone(), reason: e.to_string() })?;
            drawings.push(Canvas::of(&drawing));
        }
    }
    Ok(drawings)
}

/// Seed of sample `k` of step `step`: independent of how the run was split into sessions.
fn sample_rng(seed: u64, step: usize, k: usize) -> Rng {
    Rng::new(seed.wrapping_mul(0x1000_0000_01B3) ^ ((step as u64) << 20) ^ k as u64)
}

fn batch_tensors(samples: &[Sample], device: &Device) -> (Tensor<4>, Tensor<4>, Tensor<4>) {
    let size = samples[0].size;
    let shape = [samples.len(), 1, size, size];
    let stack = |field: fn(&Sample) -> &Vec<f32>| {
        let data: Vec<f32> = samples.iter().flat_map(|s| field(s).iter().copied()).collect();
        Tensor::<4>::from_data(TensorData::new(data, shape), device)
    };
    (stack(|s| &s.input), stack(|s| &s.target), stack(|s| &s.weight))
}

/// Weighted binary cross-entropy on logits.
fn loss(logits: Tensor<4>, target: Tensor<4>, weight: Tensor<4>) -> Tensor<1> {
    let per_pixel = -(target.clone() * log_sigmoid(logits.clone()) + (target.neg() + 1.0) * log_sigmoid(logits.neg()));
    (per_pixel * weight.clone()).sum() / weight.sum()
}

/// Warm-up, then cosine decay to 5 %, over the steps from `schedule_start` to `steps`.
fn learning_rate(options: &TrainOptions, step: usize) -> f64 {
    let length = options.steps.saturating_sub(options.schedule_start);
    let step = step.saturating_sub(options.schedule_start);
    let warmup = 200.min(length / 10 + 1);
    if step < warmup {
        return options.learning_rate * (step + 1) as f64 / warmup as f64;
    }
    let progress = ((step - warmup) as f64 / (length - warmup).max(1) as f64).min(1.0);
    let floor = 0.05;
    options.learning_rate * (floor + (1.0 - floor) * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()))
}

/// Closure scores of the network on fixed validation samples (a seed stream training never uses).
pub fn validate(model: &GapNet, config: &GapNetConfig, options: &TrainOptions, source: &SampleSource) -> Scores {
    let closer = GapCloser::new(model.clone(), config.clone(), options.device.clone());
    let mut total = Scores::default();
    for k in 0..options.validation_samples {
        let mut rng = Rng::new(options.seed ^ 0x005E_ED0F_0A1D ^ k as u64);
        let sample = source.sample(256, &mut rng);
        let clean = darkness_bytes(&sample.target);
        let gapped = Canvas { width: 256, height: 256, darkness: sample.input };
        let drawing = Drawing::from_image(image::DynamicImage::ImageLuma8(gapped.to_image()));
        let grid = closer.grid(256, 256, TileOptions::default().tile_size).expect("default tiles fit");
        let probability = closer.predict(&grid, &drawing.darkness, 4, |_, _| {});
        let closure = composite(&drawing, &probability, DEFAULT_THRESHOLD);
        let output = drawing.darkness_of(&closure.image);
        total.add(&score(&Case { width: 256, height: 256, clean: &clean, gapped: &drawing.darkness, output: &output, gaps: &sample.gaps }));
    }
    total
}

pub fn train(options: &TrainOptions) -> Result<(), TrainError> {
    let device = options.device.clone().autodiff();
    let drawings = load_drawings(&options.source_dirs)?;
    let source = if drawings.is_empty() { SampleSource::Procedural } else { SampleSource::Drawings(drawings, options.crop_scale) };
    std::fs::create_dir_all(&options.checkpoint_dir).map_err(io_error(&options.checkpoint_dir))?;
    if let Some(folder) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    let model_path = options.checkpoint_dir.join("model.bpk");
    let optimizer_path = options.checkpoint_dir.join("optimizer.bpk");
    let step_path = options.checkpoint_dir.join("step");

    let mut optimizer = AdamConfig::new().init();
    let (mut model, config, mut step) = match std::fs::read(&model_path) {
        Ok(bytes) => {
            let (model, config) = load_weights(&bytes, &model_path.display().to_string(), &device)?;
            let step_text = std::fs::read_to_string(&step_path).map_err(io_error(&step_path))?;
            let step: usize = step_text.trim().parse().map_err(|_| TrainError::Io { path: step_path.clone(), reason: "not a step number".into() })?;
            match options.widths.filter(|&widths| widths != config.widths) {
                Some(widths) => {
                    let wider = GapNetConfig::new().with_widths(widths);
                    device.seed(options.seed ^ step as u64);
                    let model = model.grown(&config, &wider, &device)?;
                    eprintln!("growing {:?} from {} at step {step} to {widths:?}; the optimizer starts afresh", config.widths, model_path.display());
                    (model, wider, step)
                }
                // Weights copied without their optimizer state are fine-tuned with a fresh Adam.
                None if !optimizer_path.exists() => {
                    eprintln!("fine-tuning {} from step {step}; no {} there, so the optimizer starts afresh", model_path.display(), optimizer_path.display());
                    (model, config, step)
                }
                None => {
                    let state = std::fs::read(&optimizer_path).map_err(io_error(&optimizer_path))?;
                    optimizer = optimizer
                        .from_bytes(burn::tensor::Bytes::from_bytes_vec(state))
                        .map_err(|e| TrainError::Optimizer(e.to_string()))?;
                    eprintln!("resuming from {} at step {step}", model_path.display());
                    (model, config, step)
                }
            }
        }
        Err(_) => {
            let config = options.widths.map_or_else(GapNetConfig::new, |widths| GapNetConfig::new().with_widths(widths));
            // The initial weights come from the seed too, so a run replays from scratch.
            device.seed(options.seed);
            (config.init(&device), config, 0)
        }
    };
    eprintln!(
        "training GapNet {:?}: {} parameters, {:.0} MAC/px, receptive radius {} px; patch {}, batch {}, steps {}",
        config.widths,
        model.num_params(),
        config.macs_per_pixel(),
        config.receptive_radius(),
        options.patch,
        options.batch,
        options.steps
    );
    let mut last_log = Instant::now();
    // Summed on the device and read only when logged, so a GPU is not stalled every step.
    let mut running: Option<Tensor<1>> = None;
    let mut since_log = 0;
    let end = options.stop_at.map_or(options.steps, |stop| stop.min(options.steps));
    while step < end {
        let samples: Vec<Sample> =
            (0..options.batch).into_par_iter().map(|k| source.sample(options.patch, &mut sample_rng(options.seed, step, k))).collect();
        let (input, target, weight) = batch_tensors(&samples, &device);
        let loss = loss(model.forward(input), target, weight);
        let detached = loss.clone().detach();
        running = Some(running.map_or(detached.clone(), |sum| sum + detached));
        since_log += 1;
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(learning_rate(options, step), model, grads);
        step += 1;
        if step % options.log_every == 0 || step == end {
            let elapsed = last_log.elapsed().as_secs_f64();
            last_log = Instant::now();
            eprintln!(
                "step {step:>7}  loss {:.4}  lr {:.2e}  {:.1} patches/s",
                running.take().map_or(0.0, |sum| sum.into_scalar::<f32>() as f64) / since_log as f64,
                learning_rate(options, step - 1),
                (since_log * options.batch) as f64 / elapsed.max(1e-9)
            );
            since_log = 0;
        }
        if step % options.checkpoint_every == 0 || step == end {
            let bytes = save_weights(&model, &config)?;
            write_whole(&model_path, &bytes).map_err(io_error(&model_path))?;
            let state = optimizer.into_bytes().map_err(|e| TrainError::Optimizer(e.to_string()))?;
            write_whole(&optimizer_path, &state).map_err(io_error(&optimizer_path))?;
            write_whole(&step_path, step.to_string().as_bytes()).map_err(io_error(&step_path))?;
            write_whole(&options.out, &bytes).map_err(io_error(&options.out))?;
            let scores = validate(&model.valid(), &config, options, &source);
            eprintln!(
                "checkpoint step {step}: closure {:.3}  regions {:.3}  false ink {:.0}/MP  lost ink {}",
                scores.closure(),
                scores.region_recovery(),
                scores.false_ink_per_megapixel(),
                scores.lost_ink
            );
            last_log = Instant::now();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warm_restart_warms_up_and_decays_from_its_start() {
        let options = TrainOptions {
            source_dirs: Vec::new(),
            crop_scale: CropScale::NATIVE,
            out: PathBuf::new(),
            checkpoint_dir: PathBuf::new(),
            widths: None,
            patch: 64,
            batch: 1,
            steps: 12_000,
            stop_at: None,
            learning_rate: 1e-3,
            schedule_start: 10_000,
            seed: 1,
            log_every: 1,
            checkpoint_every: 1,
            validation_samples: 0,
            device: Device::flex(),
        };
        assert!((learning_rate(&options, 10_000) - 1e-3 / 200.0).abs() < 1e-12);
        assert!((learning_rate(&options, 10_200) - 1e-3).abs() < 1e-12);
        assert!((learning_rate(&options, 11_999) - 5e-5).abs() < 1e-8);
    }

    #[test]
    fn loss_falls_on_a_fixed_batch() {
        let device = Device::flex().autodiff();
        let config = GapNetConfig::new().with_widths([8, 8, 8]);
        device.seed(1);
        let mut model = config.init(&device);
        let samples: Vec<Sample> = (0..2).map(|k| SampleSource::Procedural.sample(64, &mut sample_rng(1, 0, k))).collect();
        let mut optimizer = AdamConfig::new().init();
        let mut losses = Vec::new();
        for _ in 0..30 {
            let (input, target, weight) = batch_tensors(&samples, &device);
            let loss = loss(model.forward(input), target, weight);
            losses.push(loss.clone().into_scalar::<f32>() as f64);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(1e-2, model, grads);
        }
        // The best of the last few steps: burn-flex's parallel sums vary with thread timing, so
        // one step may spike without the model having stopped learning.
        let late = losses[25..].iter().copied().fold(f64::INFINITY, f64::min);
        assert!(late < losses[0] * 0.8, "{losses:?}");
    }
}
