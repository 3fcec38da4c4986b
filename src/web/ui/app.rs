//! The page: header with the backend picker, the file queue on the side, the viewer with its
//! controls in the middle. Files come in by drop (anywhere on the page), picker or paste.

use fill_line_gaps::engine::{IMAGE_EXTENSIONS, READABLE_FORMATS};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{File, FileList};

use super::backend_picker::BackendPicker;
use super::compute;
use super::controls::Controls;
use super::js;
use super::queue_list::QueueList;
use super::state::Ui;
use super::viewer::Viewer;
use super::work;

fn files_of(list: Option<FileList>) -> Vec<(String, File)> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).map(|file| (file.name(), file)).collect()
}

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui::new();
    spawn_local(compute::probe_gpu(ui));
    spawn_local(compute::start_cpu_workers());

    // Drop anywhere; never let the browser navigate to a dropped file.
    window_event_listener(ev::dragover, move |e| {
        e.prevent_default();
        ui.dragging.set(true);
    });
    window_event_listener(ev::dragleave, move |e| {
        if e.related_target().is_none() {
            ui.dragging.set(false);
        }
    });
    window_event_listener(ev::drop, move |e| {
        e.prevent_default();
        ui.dragging.set(false);
        if let Some(transfer) = e.data_transfer() {
            work::add_dropped(ui, js::dropped(&transfer));
        }
    });
    window_event_listener(ev::paste, move |e| {
        let files = files_of(e.clipboard_data().and_then(|d| d.files()));
        if !files.is_empty() {
            e.prevent_default();
            work::add_files(ui, files);
        }
    });

    view! {
        <div class="app" class:dragging=move || ui.dragging.get()>
            <header>
                <h1>"Fill Line Gaps"</h1>
                <p class="tagline">"Closes the small gaps in line art so bucket fill stays inside. Your drawings never leave this page."</p>
                <BackendPicker ui />
            </header>
            <Notice ui />
            <main>
                <aside>
                    <FilePicker ui />
                    <QueueList ui />
                </aside>
                <section class="workspace">
                    <Controls ui />
                    <Viewer ui />
                </section>
            </main>
        </div>
    }
}

#[component]
fn FilePicker(ui: Ui) -> impl IntoView {
    view! {
        <label class="drop-zone" id="drop-zone">
            <input
                id="file-input"
                type="file"
                multiple=true
                accept=IMAGE_EXTENSIONS.map(|extension| format!(".{extension}")).join(",")
                on:change=move |e| {
                    let input = event_target::<web_sys::HtmlInputElement>(&e);
                    work::add_files(ui, files_of(input.files()));
                    input.set_value("");
                }
            />
            <strong>"Drop drawings here"</strong>
            <span>"or click to choose files, or paste an image (Ctrl+V)"</span>
            <span class="formats">{READABLE_FORMATS}" · 8/16-bit · grey, RGB, RGBA line layers"</span>
        </label>
    }
}

#[component]
fn Notice(ui: Ui) -> impl IntoView {
    view! {
        <Show when=move || ui.notice.with(Option::is_some)>
            <div class="notice" role="status">
                <span id="notice-text">{move || ui.notice.get().unwrap_or_default()}</span>
                <button type="button" aria-label="Dismiss" on:click=move |_| ui.notice.set(None)>"×"</button>
            </div>
        </Show>
    }
}
