//! Where the model runs: WebGPU through burn's wgpu backend when the browser has it, else
//! burn-flex in WebAssembly; and the tiled inference loop that yields to the page between
//! tiles, reports progress, stops on cancel and finishes on the CPU if the GPU is lost.

use std::cell::Cell;
use std::rc::Rc;

use burn::prelude::Device;
use burn::tensor::wgpu::wgpu;
use leptos::prelude::*;

use fill_line_gaps::engine::infer::stitch_batch;
use fill_line_gaps::engine::{Drawing, GapCloser, ProbabilityMap};
use fill_line_gaps::model::{DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME};
use fill_line_gaps::web::settings::Backend;

use super::js;
use super::state::{GpuStatus, Ui, with_store};

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

/// The model on `backend`; the CPU one is loaded on first use.
fn closer(backend: Backend) -> Result<Rc<GapCloser>, String> {
    with_store(|s| match backend {
        Backend::WebGpu => s.gpu.clone().ok_or_else(|| "WebGPU is not available".to_string()),
        Backend::Cpu => {
            if s.cpu.is_none() {
                let closer = GapCloser::from_weights(DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME, Device::flex())
                    .map_err(|e| e.to_string())?;
                s.cpu = Some(Rc::new(closer));
            }
            Ok(s.cpu.clone().expect("just loaded"))
        }
    })
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

/// The probability map of `drawing`, tile batch by tile batch, with `progress(done, total)`.
pub async fn infer(
    ui: Ui,
    drawing: &Drawing,
    cancel: &Cell<bool>,
    mut progress: impl FnMut(usize, usize),
) -> Result<ProbabilityMap, RunError> {
    let mut backend = ui.effective_backend();
    let mut model = closer(backend).map_err(RunError::Failed)?;
    let options = backend.tile_options();
    let grid = model.grid(drawing.width(), drawing.height(), options).map_err(|e| RunError::Failed(e.to_string()))?;
    let batch = options.batch.max(1);
    let mut values = vec![0.0f32; grid.width * grid.height];
    ui.active.set(Some(backend));
    progress(0, grid.len());
    let started = js::now_ms();
    let mut start = 0;
    while start < grid.len() {
        js::yield_now().await;
        if cancel.get() {
            return Err(RunError::Cancelled);
        }
        let tiles = start..(start + batch).min(grid.len());
        let output = model.forward(model.batch_input(&grid, &drawing.darkness, tiles.clone()));
        let read = match output.into_data_async().await {
            Ok(data) => data.try_into_vec::<f32>().map_err(|e| format!("{e:?}")),
            Err(e) => Err(format!("{e:?}")),
        };
        match read {
            Ok(output) => {
                stitch_batch(&grid, tiles.clone(), &output, &mut values);
                start = tiles.end;
                progress(start, grid.len());
            }
            // The same grid on the CPU: the tiles stitched so far stay valid.
            Err(reason) if backend == Backend::WebGpu => {
                gpu_lost(ui, &reason);
                backend = Backend::Cpu;
                model = closer(backend).map_err(RunError::Failed)?;
                ui.active.set(Some(backend));
            }
            Err(reason) => return Err(RunError::Failed(reason)),
        }
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
