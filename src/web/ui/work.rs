//! What the app does: take files in, run the queue, show the selected file, re-composite at
//! another sensitivity, build the leak check, export.

use std::cell::Cell;
use std::rc::Rc;

use image::DynamicImage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use fill_line_gaps::engine::{
    CompactProbabilities, Drawing, MARK, Metadata, READABLE_FORMATS, Views, closures_layer, composite, decode, encode_png,
};
use fill_line_gaps::web::export::{ZIP_NAME, batch_names, closed_name, closures_name, zip};
use fill_line_gaps::web::kept_bytes::bytes_to_keep;
use fill_line_gaps::web::leak::leak_view;
use fill_line_gaps::web::queue::{ItemId, Status};
use fill_line_gaps::web::settings::{SENSITIVITY_RANGE, threshold_for};

use super::compute::{self, RunError};
use super::js::{self, Dropped};
use super::state::{Current, FileData, Shown, Ui, ViewMode, with_store};

const THUMBNAIL: u32 = 96;

/// Queues what was dropped: files as they are, and the drawings inside folders. A folder that
/// cannot be read or holds no drawings gets an inline error under its name.
pub fn add_dropped(ui: Ui, dropped: Vec<Dropped>) {
    spawn_local(async move {
        let mut files = Vec::new();
        for item in dropped {
            match item {
                Dropped::File(file) => files.push((file.name(), file)),
                Dropped::Folder(folder) => {
                    let problem = match js::drawings_in(&folder).await {
                        Ok(drawings) if drawings.is_empty() => Some(format!("no drawings in this folder ({READABLE_FORMATS})")),
                        Ok(drawings) => {
                            files.extend(drawings);
                            None
                        }
                        Err(e) => Some(format!("cannot read the folder: {e}")),
                    };
                    if let Some(reason) = problem {
                        ui.queue.update(|q| {
                            q.push(&folder.name(), None, Status::Rejected(reason));
                        });
                    }
                }
            }
        }
        add_files(ui, files);
    });
}

/// Reads, decodes and queues files (a drop, the picker or a paste), each under the name the
/// queue shows and exports use, then runs the queue. Unreadable files get an inline error and
/// the others go on.
pub fn add_files(ui: Ui, files: Vec<(String, File)>) {
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        for (name, file) in files {
            let name = if name.is_empty() { "pasted image".to_string() } else { name };
            let decoded = match js::read_file(&file).await {
                Err(e) => Err(format!("cannot read the file: {e}")),
                Ok(bytes) => decode(&bytes).map(|drawing| (bytes, drawing)).map_err(|e| e.to_string()),
            };
            match decoded {
                Err(reason) => {
                    ui.queue.update(|q| {
                        q.push(&name, None, Status::Rejected(reason));
                    });
                }
                Ok((bytes, drawing)) => {
                    let size = (drawing.width(), drawing.height());
                    let thumbnail = thumbnail_url(&drawing);
                    let mut id = 0;
                    ui.queue.update(|q| id = q.push(&name, Some(size), Status::Queued));
                    with_store(|s| {
                        s.files.insert(id, FileData { bytes: Rc::new(bytes_to_keep(bytes, &drawing)), probability: None, thumbnail })
                    });
                    let is_selected = ui.queue.with_untracked(|q| q.selected() == Some(id));
                    let nothing_shown = with_store(|s| s.current.is_none());
                    if is_selected && nothing_shown {
                        show(ui, id, Rc::new(drawing));
                    }
                }
            }
            js::yield_now().await;
        }
        run_queue(ui);
    });
}

fn thumbnail_url(drawing: &Drawing) -> Option<String> {
    let small = DynamicImage::ImageRgba8(drawing.image.thumbnail(THUMBNAIL, THUMBNAIL).to_rgba8());
    js::object_url(&encode_png(&small, &Metadata::default()).ok()?, "image/png").ok()
}

pub fn thumbnail(id: ItemId) -> Option<String> {
    with_store(|s| s.files.get(&id).and_then(|f| f.thumbnail.clone()))
}

/// Starts the queue runner unless it is running: files go through the model one by one.
pub fn run_queue(ui: Ui) {
    if with_store(|s| std::mem::replace(&mut s.runner_active, true)) {
        return;
    }
    spawn_local(async move {
        compute::gpu_settled(ui).await;
        while let Some(id) = ui.queue.with_untracked(|q| q.next_queued()) {
            run_one(ui, id).await;
        }
        with_store(|s| s.runner_active = false);
        ui.active.set(None);
    });
}

async fn run_one(ui: Ui, id: ItemId) {
    let set = move |status: Status| {
        ui.queue.update(|q| {
            q.set_status(id, status);
        })
    };
    let drawing = match drawing_of(id) {
        Ok(drawing) => drawing,
        Err(reason) => return set(Status::Failed(reason)),
    };
    let views = ui.views.get_untracked();
    let cancel = Rc::new(Cell::new(false));
    with_store(|s| s.cancel = Some((id, cancel.clone())));
    ui.queue.update(|q| q.set_detail(id, None));
    set(Status::Running { done: 0, total: 1 });
    let started = js::now_ms();
    let result = compute::infer(ui, &drawing, &cancel, |done, total| set(Status::Running { done, total })).await;
    with_store(|s| s.cancel = None);
    let backend = ui.active.get_untracked().map(|b| b.label()).unwrap_or_default();
    if ui.views.get_untracked() != views {
        // The setting changed while this file ran: run it again with the new one.
        return set(Status::Queued);
    }
    match result {
        Ok(probability) => {
            let kept = with_store(|s| match s.files.get_mut(&id) {
                Some(file) => {
                    let lowest_threshold = threshold_for(*SENSITIVITY_RANGE.end());
                    file.probability = Some(Rc::new(CompactProbabilities::new(&drawing, &probability, lowest_threshold)));
                    true
                }
                None => false,
            });
            if kept {
                let seconds = (js::now_ms() - started) / 1000.0;
                let views = match views {
                    Views::One => "",
                    Views::Two => ", zoomed view",
                };
                let remark = drawing.faint_lines_warning().map(str::to_owned).or_else(|| drawing.levels_note());
                let remark = remark.map(|remark| format!(" · {remark}")).unwrap_or_default();
                ui.queue.update(|q| q.set_detail(id, Some(format!("{seconds:.1} s on {backend}{views}{remark}"))));
                set(Status::Done);
                if ui.queue.with_untracked(|q| q.selected() == Some(id)) {
                    refresh(ui);
                }
            }
        }
        Err(RunError::Cancelled) => set(Status::Cancelled),
        Err(RunError::Failed(reason)) => set(Status::Failed(reason)),
    }
}

/// The decoded drawing of a file: the shown one, or decoded again from its bytes.
fn drawing_of(id: ItemId) -> Result<Rc<Drawing>, String> {
    let (current, bytes) = with_store(|s| {
        let current = s.current.as_ref().filter(|c| c.id == id).map(|c| c.drawing.clone());
        (current, s.files.get(&id).map(|f| f.bytes.clone()))
    });
    match (current, bytes) {
        (Some(drawing), _) => Ok(drawing),
        (None, Some(bytes)) => decode(&bytes).map(Rc::new).map_err(|e| e.to_string()),
        (None, None) => Err("the file was removed".into()),
    }
}

/// Stops the run in progress (its file becomes "Cancelled").
pub fn cancel_run() {
    with_store(|s| {
        if let Some((_, flag)) = &s.cancel {
            flag.set(true);
        }
    });
}

/// Closes every file again with `views`, so each result and a batch export hold one setting.
/// The file running now is cancelled and queued again (see `run_one`); the others keep showing
/// their old result until their new one is ready.
pub fn set_views(ui: Ui, views: Views) {
    ui.views.set(views);
    ui.queue.update(|q| q.requeue_done());
    cancel_run();
    run_queue(ui);
}

pub fn retry(ui: Ui, id: ItemId) {
    ui.queue.update(|q| {
        q.retry(id);
    });
    run_queue(ui);
}

pub fn remove(ui: Ui, id: ItemId) {
    with_store(|s| {
        if let Some((running, flag)) = &s.cancel
            && *running == id
        {
            flag.set(true);
        }
        if let Some(file) = s.files.remove(&id)
            && let Some(url) = file.thumbnail
        {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    ui.queue.update(|q| {
        q.remove(id);
    });
    select(ui, ui.queue.with_untracked(|q| q.selected()));
}

/// Shows a file in the viewer (decoding it again if another one was shown).
pub fn select(ui: Ui, id: Option<ItemId>) {
    if let Some(id) = id {
        ui.queue.update(|q| {
            q.select(id);
        });
    }
    let shown = with_store(|s| s.current.as_ref().map(|c| c.id));
    match id {
        None => {
            with_store(|s| s.current = None);
            ui.shown.set(None);
            ui.layers.update(|n| *n += 1);
        }
        Some(id) if shown == Some(id) => {}
        Some(id) => match drawing_of(id) {
            Ok(drawing) => show(ui, id, drawing),
            Err(reason) => ui.notice.set(Some(reason)),
        },
    }
}

fn show(ui: Ui, id: ItemId, drawing: Rc<Drawing>) {
    let before = js::canvas_from_rgba(&drawing.image.to_rgba8(), drawing.width(), drawing.height());
    let before = match before {
        Ok(canvas) => canvas,
        Err(reason) => return ui.notice.set(Some(format!("cannot show the drawing: {reason}"))),
    };
    with_store(|s| {
        s.current = Some(Current {
            id,
            drawing,
            before,
            closure: None,
            threshold: f32::NAN,
            after: None,
            marks: None,
            leak_before: None,
            leak_after: None,
        })
    });
    ui.viewport.set(None);
    refresh(ui);
}

thread_local! {
    static REFRESH_PENDING: Cell<bool> = const { Cell::new(false) };
}

/// Refreshes at the next frame, once however many inputs came before it: dragging the
/// sensitivity slider over a 4K drawing re-composites at the pace the page can paint.
pub fn schedule_refresh(ui: Ui) {
    if REFRESH_PENDING.with(|p| p.replace(true)) {
        return;
    }
    request_animation_frame(move || {
        REFRESH_PENDING.with(|p| p.set(false));
        refresh(ui);
    });
}

/// Brings the shown file's pictures up to date with its result, the sensitivity and the view
/// mode; cheap when nothing changed. Re-compositing never re-runs the model.
pub fn refresh(ui: Ui) {
    let threshold = threshold_for(ui.sensitivity.get_untracked());
    let leak = ui.mode.get_untracked() == ViewMode::LeakCheck;
    let shown = with_store(|s| {
        let current = s.current.as_mut()?;
        let probability = s.files.get(&current.id).and_then(|f| f.probability.clone());
        let (width, height) = (current.drawing.width(), current.drawing.height());
        match probability {
            None => {
                current.closure = None;
                current.after = None;
                current.marks = None;
                current.leak_after = None;
            }
            Some(probability) if current.closure.is_none() || current.threshold != threshold => {
                let closure = composite(&current.drawing, &probability.to_map(), threshold);
                current.after = js::canvas_from_rgba(&closure.image.to_rgba8(), width, height).ok();
                let marks: Vec<u8> =
                    closure.added.iter().flat_map(|&a| if a { MARK.0 } else { [0; 4] }).collect();
                current.marks = js::canvas_from_rgba(&marks, width, height).ok();
                current.leak_after = None;
                current.closure = Some(closure);
                current.threshold = threshold;
            }
            Some(_) => {}
        }
        let ink = current.drawing.ink();
        if leak && current.leak_before.is_none() {
            let view = leak_view(ink, width, height);
            current.leak_before =
                js::canvas_from_rgba(&view.rgba, width, height).ok().map(|c| (c, view.closed_regions));
        }
        if leak
            && current.leak_after.is_none()
            && let Some(closure) = &current.closure
        {
            let closed: Vec<bool> = ink.iter().zip(&closure.added).map(|(&i, &a)| i || a).collect();
            let view = leak_view(&closed, width, height);
            current.leak_after = js::canvas_from_rgba(&view.rgba, width, height).ok().map(|c| (c, view.closed_regions));
        }
        Some(Shown {
            size: (width, height),
            closed: current.closure.is_some(),
            added_pixels: current.closure.as_ref().map_or(0, |c| c.added_pixels),
            leak: current.leak_before.as_ref().map(|(_, n)| (*n, current.leak_after.as_ref().map(|(_, n)| *n))),
        })
    });
    ui.shown.set(shown);
    ui.layers.update(|n| *n += 1);
}

/// Which picture of the shown file to save.
#[derive(Clone, Copy)]
pub enum Export {
    Closed,
    Layer,
}

pub fn export_shown(ui: Ui, what: Export) {
    let result = with_store(|s| {
        let current = s.current.as_ref().ok_or("nothing is shown")?;
        let closure = current.closure.as_ref().ok_or("the drawing has not been closed yet")?;
        let name = ui.queue.with_untracked(|q| q.get(current.id).map(|i| i.name.clone())).unwrap_or_default();
        let metadata = &current.drawing.metadata;
        let (image, name) = match what {
            Export::Closed => (encode_png(&closure.image, metadata), closed_name(&name)),
            Export::Layer => (encode_png(&closures_layer(&closure.image, &closure.added), metadata), closures_name(&name)),
        };
        let bytes = image.map_err(|e| e.to_string())?;
        js::download(&bytes, &name, "image/png")
    });
    if let Err(reason) = result {
        ui.notice.set(Some(format!("Export failed: {reason}")));
    }
}

/// Every closed file, drawing and closures layer, at the current sensitivity, in one ZIP.
pub fn export_all(ui: Ui) {
    if ui.exporting.get_untracked() {
        return;
    }
    ui.exporting.set(true);
    spawn_local(async move {
        let threshold = threshold_for(ui.sensitivity.get_untracked());
        let done: Vec<(ItemId, String)> =
            ui.queue.with_untracked(|q| q.done().map(|i| (i.id, i.name.clone())).collect());
        let names = batch_names(done.iter().map(|(_, name)| name.as_str()));
        let mut files = Vec::new();
        let mut failures = Vec::new();
        for ((id, name), (closed_name, layer_name)) in done.iter().zip(names) {
            js::yield_now().await;
            let probability = with_store(|s| s.files.get(id).and_then(|f| f.probability.clone()));
            let (Some(probability), Ok(drawing)) = (probability, drawing_of(*id)) else {
                failures.push(name.clone());
                continue;
            };
            let closure = composite(&drawing, &probability.to_map(), threshold);
            let metadata = &drawing.metadata;
            match (encode_png(&closure.image, metadata), encode_png(&closures_layer(&closure.image, &closure.added), metadata)) {
                (Ok(closed), Ok(layer)) => {
                    files.push((closed_name, closed));
                    files.push((layer_name, layer));
                }
                _ => failures.push(name.clone()),
            }
        }
        let saved =
            zip(&files).map_err(|e| e.to_string()).and_then(|bytes| js::download(&bytes, ZIP_NAME, "application/zip"));
        match (saved, failures.is_empty()) {
            (Err(reason), _) => ui.notice.set(Some(format!("Export failed: {reason}"))),
            (Ok(()), false) => ui.notice.set(Some(format!("Left out of the ZIP: {}", failures.join(", ")))),
            (Ok(()), true) => {}
        }
        ui.exporting.set(false);
    });
}
