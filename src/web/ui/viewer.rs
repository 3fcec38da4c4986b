//! The before/after viewer: one canvas showing the original left of the split and the closed
//! drawing (or, in the leak check, their regions) right of it. Drag the handle (mouse or
//! touch) or use the arrow keys on it to move the split; wheel, pinch, drag and the keyboard
//! zoom and pan, down to single pixels drawn sharp.

use std::collections::HashMap;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use web_sys::{HtmlCanvasElement, PointerEvent};

use fill_line_gaps::web::viewport::{Viewport, split_after_key};

use super::js;
use super::state::{Ui, ViewMode, with_store};

const BACKDROP: &str = "#8a8f98";

/// An edit of the viewport, given the image size and the view size.
type ViewChange<'a> = dyn Fn(&mut Viewport, (usize, usize), (f64, f64)) + 'a;

#[component]
pub fn Viewer(ui: Ui) -> impl IntoView {
    let frame = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();

    let measure = move || {
        if let Some(frame) = frame.get_untracked() {
            let rect = frame.get_bounding_client_rect();
            ui.view_size.set((rect.width(), rect.height()));
        }
    };
    Effect::new(move |_| {
        if frame.get().is_some() {
            measure();
        }
    });
    window_event_listener(ev::resize, move |_| measure());

    // Redraw whenever anything shown changes.
    Effect::new(move |_| {
        ui.layers.track();
        let (split, marking, mode, view) = (ui.split.get(), ui.marking.get(), ui.mode.get(), ui.view_size.get());
        let Some(canvas) = canvas.get() else { return };
        let Some(shown) = ui.shown.get() else {
            paint_empty(&canvas, view);
            return;
        };
        let viewport = match ui.viewport.get() {
            Some(viewport) => viewport,
            None if view.0 > 0.0 => {
                ui.viewport.set(Some(Viewport::fit(shown.size, view)));
                return;
            }
            None => return,
        };
        paint(&canvas, view, &viewport, split, marking, mode, shown.size);
    });

    // Pan with one pointer, pinch-zoom with two.
    let pointers = StoredValue::new(HashMap::<i32, (f64, f64)>::new());
    let local = move |e: &PointerEvent| {
        let rect = canvas.get_untracked().map(|c| c.get_bounding_client_rect());
        let (left, top) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        (e.client_x() as f64 - left, e.client_y() as f64 - top)
    };
    let change = move |f: &ViewChange<'_>| {
        let (Some(shown), view) = (ui.shown.get_untracked(), ui.view_size.get_untracked()) else { return };
        ui.viewport.update(|v| {
            if let Some(viewport) = v {
                f(viewport, shown.size, view);
            }
        });
    };
    let on_down = move |e: PointerEvent| {
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(e.pointer_id());
        }
        let at = local(&e);
        pointers.update_value(|p| {
            p.insert(e.pointer_id(), at);
        });
    };
    let on_move = move |e: PointerEvent| {
        let at = local(&e);
        let (before, others) = pointers.with_value(|p| {
            (p.get(&e.pointer_id()).copied(), p.iter().filter(|(id, _)| **id != e.pointer_id()).map(|(_, a)| *a).next())
        });
        let Some(before) = before else { return };
        pointers.update_value(|p| {
            p.insert(e.pointer_id(), at);
        });
        match others {
            None => change(&|v, i, s| v.pan(at.0 - before.0, at.1 - before.1, i, s)),
            Some(other) => {
                let distance = |a: (f64, f64)| ((a.0 - other.0).powi(2) + (a.1 - other.1).powi(2)).sqrt().max(1.0);
                let factor = distance(at) / distance(before);
                let middle = ((at.0 + other.0) / 2.0, (at.1 + other.1) / 2.0);
                change(&|v, i, s| v.zoom_at(factor, middle.0, middle.1, i, s));
            }
        }
    };
    let on_up = move |e: PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&e.pointer_id());
        });
    };
    let on_wheel = move |e: web_sys::WheelEvent| {
        e.prevent_default();
        let rect = canvas.get_untracked().map(|c| c.get_bounding_client_rect());
        let (left, top) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        let (x, y) = (e.client_x() as f64 - left, e.client_y() as f64 - top);
        let lines = if e.delta_mode() == 1 { 40.0 } else { 1.0 };
        let factor = (-e.delta_y() * lines * 0.002).exp();
        change(&|v, i, s| v.zoom_at(factor, x, y, i, s));
    };
    let on_key = move |e: web_sys::KeyboardEvent| {
        let (w, h) = ui.view_size.get_untracked();
        let step = 48.0;
        match e.key().as_str() {
            "+" | "=" => change(&|v, i, s| v.zoom_at(2.0, w / 2.0, h / 2.0, i, s)),
            "-" | "_" => change(&|v, i, s| v.zoom_at(0.5, w / 2.0, h / 2.0, i, s)),
            "0" => change(&|v, i, s| *v = Viewport::fit(i, s)),
            "1" => change(&|v, i, s| v.actual_size(i, s)),
            "ArrowLeft" => change(&|v, i, s| v.pan(step, 0.0, i, s)),
            "ArrowRight" => change(&|v, i, s| v.pan(-step, 0.0, i, s)),
            "ArrowUp" => change(&|v, i, s| v.pan(0.0, step, i, s)),
            "ArrowDown" => change(&|v, i, s| v.pan(0.0, -step, i, s)),
            _ => return,
        }
        e.prevent_default();
    };

    let has_after = move || ui.shown.with(|s| s.as_ref().is_some_and(|s| s.closed));
    let labels = move || {
        let shown = ui.shown.get()?;
        let leak = ui.mode.get() == ViewMode::LeakCheck;
        let count = |n: Option<usize>| match n {
            Some(1) => "1 closed region".to_string(),
            Some(n) => format!("{n} closed regions"),
            None => "…".into(),
        };
        let (before, after) = match (leak, shown.leak) {
            (true, Some((before, after))) => {
                (format!("Before: {}", count(Some(before))), format!("After: {}", count(after)))
            }
            _ => ("Before".to_string(), "After".to_string()),
        };
        Some((before, after))
    };
    view! {
        <div
            class="viewer"
            node_ref=frame
            tabindex="0"
            aria-label="Drawing view: + and − zoom, arrows pan, 0 fits"
            on:keydown=on_key
            on:wheel=on_wheel
        >
            <canvas
                id="view"
                node_ref=canvas
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:dblclick=move |e| {
                    let at = (e.offset_x() as f64, e.offset_y() as f64);
                    change(&|v, i, s| v.zoom_at(2.0, at.0, at.1, i, s));
                }
            ></canvas>
            <Show when=move || ui.shown.with(Option::is_none)>
                <div class="empty">"Drop a drawing to start."</div>
            </Show>
            <Show when=has_after>
                <span class="label before" id="label-before">{move || labels().map(|l| l.0)}</span>
                <span class="label after" id="label-after">{move || labels().map(|l| l.1)}</span>
                <SplitHandle ui frame />
            </Show>
        </div>
    }
}

/// The draggable, focusable divider between before and after.
#[component]
fn SplitHandle(ui: Ui, frame: NodeRef<html::Div>) -> impl IntoView {
    let dragging = StoredValue::new(false);
    let follow = move |e: &PointerEvent| {
        if let Some(frame) = frame.get_untracked() {
            let rect = frame.get_bounding_client_rect();
            if rect.width() > 0.0 {
                ui.split.set(((e.client_x() as f64 - rect.left()) / rect.width()).clamp(0.0, 1.0));
            }
        }
    };
    view! {
        <div
            class="split"
            id="split"
            role="slider"
            tabindex="0"
            aria-label="Before/after split"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=move || format!("{:.0}", ui.split.get() * 100.0)
            style:left=move || format!("{:.3}%", ui.split.get() * 100.0)
            on:pointerdown=move |e| {
                e.stop_propagation();
                dragging.set_value(true);
                if let Some(target) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                    let _ = target.set_pointer_capture(e.pointer_id());
                }
            }
            on:pointermove=move |e| {
                if dragging.get_value() {
                    follow(&e)
                }
            }
            on:pointerup=move |_| dragging.set_value(false)
            on:pointercancel=move |_| dragging.set_value(false)
            on:keydown=move |e| {
                if let Some(split) = split_after_key(ui.split.get_untracked(), &e.key(), e.shift_key()) {
                    e.prevent_default();
                    e.stop_propagation();
                    ui.split.set(split);
                }
            }
        >
            <span class="grip"></span>
        </div>
    }
}

/// Sizes the canvas to its box in device pixels and returns its 2D context, scaled to CSS px.
fn prepare(canvas: &HtmlCanvasElement, view: (f64, f64)) -> Option<web_sys::CanvasRenderingContext2d> {
    let ratio = leptos::prelude::window().device_pixel_ratio().max(1.0);
    let (width, height) = ((view.0 * ratio).round() as u32, (view.1 * ratio).round() as u32);
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let context = js::context_2d(canvas)?;
    context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
    context.set_fill_style_str(BACKDROP);
    context.fill_rect(0.0, 0.0, view.0, view.1);
    Some(context)
}

fn paint_empty(canvas: &HtmlCanvasElement, view: (f64, f64)) {
    prepare(canvas, view);
}

fn paint(
    canvas: &HtmlCanvasElement,
    view: (f64, f64),
    viewport: &Viewport,
    split: f64,
    marking: bool,
    mode: ViewMode,
    size: (usize, usize),
) {
    let Some(context) = prepare(canvas, view) else { return };
    context.set_image_smoothing_enabled(!viewport.pixelated());
    let (x, y) = (viewport.offset_x, viewport.offset_y);
    let (w, h) = (size.0 as f64 * viewport.scale, size.1 as f64 * viewport.scale);
    with_store(|s| {
        let Some(current) = &s.current else { return };
        let (before, after, marks) = match mode {
            ViewMode::Drawing => {
                (Some(&current.before), current.after.as_ref(), current.marks.as_ref().filter(|_| marking))
            }
            ViewMode::LeakCheck => (
                current.leak_before.as_ref().map(|(c, _)| c).or(Some(&current.before)),
                current.leak_after.as_ref().map(|(c, _)| c),
                None,
            ),
        };
        let split_x = if after.is_some() { (view.0 * split).round() } else { view.0 };
        let draw = |layers: &[&HtmlCanvasElement], from: f64, to: f64| {
            if to <= from {
                return;
            }
            context.save();
            context.begin_path();
            context.rect(from, 0.0, to - from, view.1);
            context.clip();
            context.set_fill_style_str("#ffffff");
            context.fill_rect(x, y, w, h);
            for layer in layers {
                let _ = context.draw_image_with_html_canvas_element_and_dw_and_dh(layer, x, y, w, h);
            }
            context.restore();
        };
        if let Some(before) = before {
            draw(&[before], 0.0, split_x);
        }
        if let Some(after) = after {
            let mut layers = vec![after];
            layers.extend(marks);
            draw(&layers, split_x, view.0);
        }
    });
}
