//! The viewer's controls: sensitivity (re-composites without re-running the model), the
//! zoomed view (runs every file again), red marking, leak check, zoom, and the exports.

use leptos::prelude::*;

use fill_line_gaps::engine::Views;
use fill_line_gaps::web::settings::{SENSITIVITY_RANGE, threshold_for};
use fill_line_gaps::web::viewport::Viewport;

use super::state::{Ui, ViewMode};
use super::work::{self, Export};

#[component]
pub fn Controls(ui: Ui) -> impl IntoView {
    let closed = move || ui.shown.with(|s| s.as_ref().is_some_and(|s| s.closed));
    let any_done = move || ui.queue.with(|q| q.done().next().is_some());
    let batch = move || ui.queue.with(|q| q.done().count());
    let stats = move || {
        let shown = ui.shown.get()?;
        let mut text = format!("{}×{}", shown.size.0, shown.size.1);
        if shown.closed {
            text += &format!(" · {} pixels added", shown.added_pixels);
        }
        Some(text)
    };
    view! {
        <div class="controls">
            <label class="sensitivity" title="Higher closes wider gaps; lower adds less ink">
                "Sensitivity "
                <input
                    id="sensitivity"
                    type="range"
                    min=SENSITIVITY_RANGE.start().to_string()
                    max=SENSITIVITY_RANGE.end().to_string()
                    prop:value=move || ui.sensitivity.get().to_string()
                    on:input=move |e| {
                        if let Ok(value) = event_target_value(&e).parse() {
                            ui.sensitivity.set(value);
                            work::schedule_refresh(ui);
                        }
                    }
                />
                <output id="sensitivity-value">{move || format!("{:.2}", threshold_for(ui.sensitivity.get()))}</output>
            </label>
            <label title="The network also sees each tile zoomed in 1.25×: more gaps closed with less stray ink, 2.6 times the work. Closes every file again.">
                <input
                    id="zoomed-view"
                    type="checkbox"
                    prop:checked=move || ui.views.get() == Views::Two
                    on:change=move |e| work::set_views(ui, if event_target_checked(&e) { Views::Two } else { Views::One })
                />
                " Zoomed view"
            </label>
            <label>
                <input
                    id="marking"
                    type="checkbox"
                    prop:checked=move || ui.marking.get()
                    on:change=move |e| ui.marking.set(event_target_checked(&e))
                />
                " Added pixels in red"
            </label>
            <label>
                <input
                    id="leak-check"
                    type="checkbox"
                    prop:checked=move || ui.mode.get() == ViewMode::LeakCheck
                    on:change=move |e| {
                        ui.mode.set(if event_target_checked(&e) { ViewMode::LeakCheck } else { ViewMode::Drawing });
                        work::refresh(ui);
                    }
                />
                " Leak check"
            </label>
            <ZoomButtons ui />
            <span class="stats" id="stats">{stats}</span>
            <span class="exports">
                <button type="button" id="download-png" prop:disabled=move || !closed() on:click=move |_| work::export_shown(ui, Export::Closed)>
                    "Download PNG"
                </button>
                <button type="button" id="download-layer" prop:disabled=move || !closed() on:click=move |_| work::export_shown(ui, Export::Layer)>
                    "Closures layer"
                </button>
                <button
                    type="button"
                    id="download-zip"
                    prop:disabled=move || !any_done() || ui.exporting.get()
                    on:click=move |_| work::export_all(ui)
                >
                    {move || if ui.exporting.get() { "Packing…".to_string() } else { format!("All as ZIP ({})", batch()) }}
                </button>
            </span>
        </div>
    }
}

#[component]
fn ZoomButtons(ui: Ui) -> impl IntoView {
    let zoom = move |how: fn(&mut Viewport, (usize, usize), (f64, f64))| {
        let (Some(shown), view) = (ui.shown.get_untracked(), ui.view_size.get_untracked()) else { return };
        ui.viewport.update(|v| {
            let mut viewport = v.unwrap_or_else(|| Viewport::fit(shown.size, view));
            how(&mut viewport, shown.size, view);
            *v = Some(viewport);
        });
    };
    view! {
        <span class="zoom" role="group" aria-label="Zoom">
            <button type="button" id="zoom-out" title="Zoom out (−)" on:click=move |_| zoom(|v, i, s| v.zoom_at(0.5, s.0 / 2.0, s.1 / 2.0, i, s))>"−"</button>
            <button type="button" id="zoom-fit" title="Fit (0)" on:click=move |_| zoom(|v, i, s| *v = Viewport::fit(i, s))>"Fit"</button>
            <button type="button" id="zoom-1" title="Actual pixels (1)" on:click=move |_| zoom(|v, i, s| v.actual_size(i, s))>"1:1"</button>
            <button type="button" id="zoom-in" title="Zoom in (+)" on:click=move |_| zoom(|v, i, s| v.zoom_at(2.0, s.0 / 2.0, s.1 / 2.0, i, s))>"+"</button>
        </span>
    }
}
