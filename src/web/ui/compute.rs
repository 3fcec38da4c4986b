//! Where the model runs: WebGPU through burn's wgpu backend when the browser has it, else
//! burn-flex in WebAssembly workers (`tile_workers`); and the tiled inference loop that
//! reports progress, stops on cancel and finishes on the CPU if the GPU is lost.

use std::cell::Cell;
use std::rc::Rc;

use burn::prelude::Device;
use burn::tensor::wgpu::wgpu;
use leptos::prelude::*;

use fill_line_gaps::engine::infer::stitch_batch;
use fill_line_gaps::engine::{Drawing, GapCloser, ProbabilityMap, TileGrid};
use fill_line_gaps::model::{DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME};
use fill_line_gaps::web::settings::{Backend, GPU_TILES, cpu_tile_size};

use super::js;
use super::state::{CpuWorkers, GpuStatus, Ui, with_store};
use super::tile_workers::TileWorkers;

pub enum RunError {
    Cancelled,
    Failed(String),
}

/// Asks the browser for a WebGPU device once, at start-up, and loads the model onto it.
pub async fn probe_gpu(ui: Ui) {
    let status = if !js::has_webgpu() {
        GpuStatus::Unavailable("this browser offers no WebGPU".into())
    } else {
        match Device::wgpu_options().init_with_setup_async().await {
            Err(e) => GpuStatus::Unavailable(e.to_string()),
            Ok((device, setup)) => match GapCloser::from_weights(DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME, device) {
                Err(e) => GpuStatus::Unavailable(e.to_string()),
                Ok(closer) => {
                    with_store(|s| s.gpu = Some(Rc::new(closer)));
                    let info = setup.adapter.get_info();
                    let fallback = info.device_type == wgpu::DeviceType::Cpu;
                    let name = match info.name.trim() {
                        "" if fallback => "software adapter".to_string(),
                        "" => "GPU".to_string(),
                        name => name.to_string(),
                    };
                    GpuStatus::Ready { name, fallback }
                }
            },
        }
    };
    // A software adapter is slower than the WebAssembly CPU path: offer it, do not pick it.
    if !matches!(status, GpuStatus::Ready { fallback: false, .. }) {
        ui.backend.set(Backend::Cpu);
    }
    ui.gpu.set(status);
}

/// Starts the CPU path's workers with the page, so their code is fetched while it loads.
pub async fn start_cpu_workers() {
    let workers = TileWorkers::start().await.map(Rc::new);
    with_store(|s| s.cpu = CpuWorkers::Done(workers));
}

/// The CPU path's workers, once they have started (or why they could not).
async fn cpu_workers() -> Result<Rc<TileWorkers>, RunError> {
    loop {
        match with_store(|s| s.cpu.clone()) {
            CpuWorkers::Starting => js::sleep(50).await,
            CpuWorkers::Done(workers) => return workers.map_err(RunError::Failed),
        }
    }
}

/// Waits until the start-up WebGPU probe has answered, so the first file runs where it should.
pub async fn gpu_settled(ui: Ui) {
    while ui.gpu.get_untracked() == GpuStatus::Probing {
        js::sleep(50).await;
    }
}

/// Marks the GPU lost: the rest of the session runs on the CPU.
fn gpu_lost(ui: Ui, reason: &str) {
    with_store(|s| s.gpu = None);
    ui.gpu.set(GpuStatus::Lost(reason.to_owned()));
    ui.backend.set(Backend::Cpu);
    ui.notice.set(Some(format!("The GPU stopped working ({reason}); finishing on the CPU.")));
}

/// The probability map of `drawing`, tile by tile, with `progress(done, total)`.
pub async fn infer(
    ui: Ui,
    drawing: &Drawing,
    cancel: &Cell<bool>,
    mut progress: impl FnMut(usize, usize),
) -> Result<ProbabilityMap, RunError> {
    let mut backend = ui.effective_backend();
    let views = ui.views.get_untracked();
    let gpu = with_store(|s| s.gpu.clone())
        .filter(|_| backend == Backend::WebGpu)
        .map(|closer| closer.as_ref().clone().with_views(views));
    let (width, height) = (drawing.width(), drawing.height());
    let (tile_size, margin) = match &gpu {
        Some(closer) => (GPU_TILES.tile_size, closer.margin()),
        None => {
            let workers = cpu_workers().await?;
            (cpu_tile_size(width, height, workers.margin, workers.count()), workers.margin)
        }
    };
    let grid = TileGrid::new(width, height, tile_size, margin).map_err(|e| RunError::Failed(e.to_string()))?;
    let mut values = vec![0.0f32; grid.width * grid.height];
    ui.active.set(Some(backend));
    progress(0, grid.len());
    let started = js::now_ms();
    let mut done = 0;
    if let Some(closer) = gpu {
        done = gpu_tiles(ui, &closer, &grid, drawing, cancel, &mut values, &mut progress).await?;
        if done < grid.len() {
            backend = Backend::Cpu;
            ui.active.set(Some(backend));
        }
    }
    if done < grid.len() {
        let workers = cpu_workers().await?;
        workers
            .run(&grid, &drawing.darkness, done..grid.len(), views, &mut values, cancel, || {
                done += 1;
                progress(done, grid.len());
            })
            .await?;
    }
    let seconds = (js::now_ms() - started) / 1000.0;
    web_sys::console::info_1(
        &format!(
            "fill-line-gaps: {}×{} on {} in {seconds:.2} s ({} tiles)",
            grid.width,
            grid.height,
            backend.label(),
            grid.len()
        )
        .into(),
    );
    Ok(ProbabilityMap { width: grid.width, height: grid.height, values })
}

/// The tiles on WebGPU, yielding to the page between batches. Returns how many are done: all
/// of them, or those before the GPU was lost (the caller finishes the rest on the CPU; the
/// tiles stitched so far stay valid).
async fn gpu_tiles(
    ui: Ui,
    closer: &GapCloser,
    grid: &TileGrid,
    drawing: &Drawing,
    cancel: &Cell<bool>,
    values: &mut [f32],
    progress: &mut impl FnMut(usize, usize),
) -> Result<usize, RunError> {
    let batch = GPU_TILES.batch.max(1);
    let mut start = 0;
    while start < grid.len() {
        js::yield_now().await;
        if cancel.get() {
            return Err(RunError::Cancelled);
        }
        let tiles = start..(start + batch).min(grid.len());
        let output = closer.forward(closer.batch_input(grid, &drawing.darkness, tiles.clone()));
        let read = match output.into_data_async().await {
            Ok(data) => data.try_into_vec::<f32>().map_err(|e| format!("{e:?}")),
            Err(e) => Err(format!("{e:?}")),
        };
        match read {
            Ok(output) => {
                stitch_batch(grid, tiles.clone(), &output, values);
                start = tiles.end;
                progress(start, grid.len());
            }
            Err(reason) => {
                gpu_lost(ui, &reason);
                break;
            }
        }
    }
    Ok(start)
}
