//! Which backend runs the model: shows the active one and lets the user switch.

use leptos::prelude::*;

use fill_line_gaps::web::settings::Backend;

use super::state::{GpuStatus, Ui};

#[component]
pub fn BackendPicker(ui: Ui) -> impl IntoView {
    let gpu_usable = move || matches!(ui.gpu.get(), GpuStatus::Ready { .. });
    let chosen = move || {
        ui.gpu.track();
        ui.backend.track();
        ui.effective_backend()
    };
    // A short note beside the switch; the full reason in its tooltip.
    let gpu_note = move || match ui.gpu.get() {
        GpuStatus::Probing => ("looking for a GPU…".to_string(), String::new()),
        GpuStatus::Ready { name, fallback: false } => (name.clone(), name),
        GpuStatus::Ready { name, fallback: true } => (
            format!("{name}: slower than the CPU path here"),
            format!(
                "WebGPU offers only a software adapter ({name}); the CPU path is faster, so it is used unless you pick WebGPU"
            ),
        ),
        GpuStatus::Unavailable(reason) => ("no WebGPU here".to_string(), reason),
        GpuStatus::Lost(reason) => ("WebGPU was lost".to_string(), reason),
    };
    let active = move || {
        let backend = ui.active.get().unwrap_or_else(chosen);
        let running = ui.active.get().is_some();
        format!("{}{}", backend.label(), if running { " (running)" } else { "" })
    };
    view! {
        <fieldset class="backend">
            <legend>"Compute"</legend>
            <label title=move || gpu_note().1>
                <input
                    type="radio"
                    name="backend"
                    id="backend-gpu"
                    prop:checked=move || chosen() == Backend::WebGpu
                    prop:disabled=move || !gpu_usable()
                    on:change=move |_| ui.backend.set(Backend::WebGpu)
                />
                "WebGPU"
            </label>
            <label>
                <input
                    type="radio"
                    name="backend"
                    id="backend-cpu"
                    prop:checked=move || chosen() == Backend::Cpu
                    on:change=move |_| ui.backend.set(Backend::Cpu)
                />
                "CPU"
            </label>
            <span class="active-backend" id="active-backend" data-backend=move || format!("{:?}", chosen())>
                {active}
            </span>
            <span class="gpu-note" id="gpu-note" title=move || gpu_note().1>{move || gpu_note().0}</span>
        </fieldset>
    }
}
