//! The few browser calls the app makes: timers, files, canvases, downloads.

use js_sys::{Array, Promise, Reflect, Uint8Array};
use leptos::prelude::{document, window};
use wasm_bindgen::{Clamped, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry,
    FileSystemFileEntry, HtmlAnchorElement, HtmlCanvasElement, ImageData, Url,
};

use fill_line_gaps::engine::has_image_extension;

/// Waits `ms` milliseconds on the event loop (0: lets the page paint and handle input).
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

pub async fn yield_now() {
    sleep(0).await
}

pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// A readable message from a thrown JavaScript value.
pub fn message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// One thing dropped on the page.
pub enum Dropped {
    File(File),
    /// A folder (a cut with its folders of cels): its drawings are read from it.
    Folder(FileSystemDirectoryEntry),
}

/// What a drop holds. Taken while the drop event runs, after which the browser forgets it.
pub fn dropped(transfer: &DataTransfer) -> Vec<Dropped> {
    let items = transfer.items();
    (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| match item.webkit_get_as_entry().ok().flatten() {
            Some(entry) if entry.is_directory() => Some(Dropped::Folder(entry.unchecked_into())),
            _ => item.get_as_file().ok().flatten().map(Dropped::File),
        })
        .collect()
}

/// The drawings in a folder at any depth, named by their path from the folder's parent
/// (`cut_012/A/0001.png`) and in that order. Hidden entries and files that are not images
/// (notes, project files, `Thumbs.db`) are left out.
pub async fn drawings_in(folder: &FileSystemDirectoryEntry) -> Result<Vec<(String, File)>, String> {
    let mut folders = vec![folder.clone()];
    let mut drawings = Vec::new();
    while let Some(folder) = folders.pop() {
        let reader = folder.create_reader();
        loop {
            // Each call gives the next batch of entries; an empty one ends the folder.
            let batch = Promise::new(&mut |resolve, reject| {
                if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                    let _ = reject.call1(&JsValue::NULL, &e);
                }
            });
            let batch: Array = JsFuture::from(batch).await.map_err(|e| message(&e))?.unchecked_into();
            if batch.length() == 0 {
                break;
            }
            for entry in batch.iter().map(JsCast::unchecked_into::<FileSystemEntry>) {
                if entry.name().starts_with('.') {
                    continue;
                }
                if entry.is_directory() {
                    folders.push(entry.unchecked_into());
                } else if has_image_extension(std::path::Path::new(&entry.name())) {
                    let file_entry: FileSystemFileEntry = entry.clone().unchecked_into();
                    let file = Promise::new(&mut |resolve, reject| file_entry.file_with_callback_and_callback(&resolve, &reject));
                    let file: File = JsFuture::from(file).await.map_err(|e| message(&e))?.unchecked_into();
                    drawings.push((entry.full_path().trim_start_matches('/').to_string(), file));
                }
            }
        }
    }
    drawings.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(drawings)
}

pub async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| message(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Whether the browser exposes WebGPU at all (`navigator.gpu`).
pub fn has_webgpu() -> bool {
    Reflect::get(&window().navigator(), &JsValue::from_str("gpu"))
        .is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// A detached canvas holding an RGBA picture.
pub fn canvas_from_rgba(rgba: &[u8], width: usize, height: usize) -> Result<HtmlCanvasElement, String> {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|e| message(&e))?
        .dyn_into()
        .map_err(|_| "not a canvas".to_string())?;
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context = context_2d(&canvas).ok_or("no 2D canvas context")?;
    let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width as u32, height as u32)
        .map_err(|e| message(&e))?;
    context.put_image_data(&data, 0.0, 0.0).map_err(|e| message(&e))?;
    Ok(canvas)
}

/// A `blob:` URL of bytes (revoke it when done).
pub fn object_url(bytes: &[u8], mime: &str) -> Result<String, String> {
    let parts = Array::of1(&Uint8Array::from(bytes).into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|e| message(&e))?;
    Url::create_object_url_with_blob(&blob).map_err(|e| message(&e))
}

/// Saves bytes as a file through the browser's download (no network involved).
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    let url = object_url(bytes, mime)?;
    let anchor: HtmlAnchorElement =
        document().create_element("a").map_err(|e| message(&e))?.dyn_into().map_err(|_| "not an anchor".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download has its own reference by now; free the blob a little later.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// After a panic the module cannot go on: say so on the page (and in the console).
pub fn show_crash(text: &str) {
    web_sys::console::error_1(&JsValue::from_str(text));
    let document = document();
    if let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) {
        banner.set_class_name("crash");
        banner.set_attribute("role", "alert").ok();
        banner.set_text_content(Some(&format!(
            "The app stopped after an internal error; reload the page to go on. ({text})"
        )));
        let _ = body.prepend_with_node_1(&banner);
    }
}
