//! The app's state: small values in signals (what the page shows) and the engine's data
//! (bytes, decoded drawings, probability maps, canvases, loaded models) in one store outside
//! the reactive graph, touched only from the page's single thread.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use fill_line_gaps::engine::{Closure, CompactProbabilities, Drawing, GapCloser, Views};
use fill_line_gaps::web::queue::{ItemId, Queue};
use fill_line_gaps::web::settings::{Backend, default_sensitivity};
use fill_line_gaps::web::viewport::Viewport;

use super::tile_workers::TileWorkers;

#[derive(Clone, Debug, PartialEq)]
pub enum GpuStatus {
    /// Asking the browser for an adapter.
    Probing,
    /// Ready, with the adapter's name; `fallback` for a software adapter (such as SwiftShader),
    /// which is slower than the WebAssembly CPU path, so it is offered but not chosen.
    Ready { name: String, fallback: bool },
    /// No WebGPU here, with the reason.
    Unavailable(String),
    /// Lost while running; the CPU took over.
    Lost(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewMode {
    Drawing,
    LeakCheck,
}

/// What the viewer shows for the selected file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    pub size: (usize, usize),
    /// The model has run: an after side exists.
    pub closed: bool,
    pub added_pixels: usize,
    /// Closed regions before and after, once the leak check has been computed.
    pub leak: Option<(usize, Option<usize>)>,
}

/// Signal handles: `Copy`, so every component and closure takes its own.
#[derive(Clone, Copy)]
pub struct Ui {
    pub queue: RwSignal<Queue>,
    /// The backend the user wants (WebGPU means "when available").
    pub backend: RwSignal<Backend>,
    pub gpu: RwSignal<GpuStatus>,
    /// The backend of the run in progress.
    pub active: RwSignal<Option<Backend>>,
    pub notice: RwSignal<Option<String>>,
    pub sensitivity: RwSignal<u32>,
    /// The views of each tile the network sees; every file runs with the current ones.
    pub views: RwSignal<Views>,
    /// The added pixels in red on the after side: on at first, since what was added is what a
    /// colourist checks first.
    pub marking: RwSignal<bool>,
    pub mode: RwSignal<ViewMode>,
    /// Before/after split across the view: 1 = all before.
    pub split: RwSignal<f64>,
    /// `None` until fitted to a newly shown drawing.
    pub viewport: RwSignal<Option<Viewport>>,
    pub view_size: RwSignal<(f64, f64)>,
    /// Bumped whenever the selected file's pictures change.
    pub layers: RwSignal<u64>,
    pub shown: RwSignal<Option<Shown>>,
    pub exporting: RwSignal<bool>,
    pub dragging: RwSignal<bool>,
}

impl Ui {
    pub fn new() -> Self {
        Self {
            queue: RwSignal::new(Queue::default()),
            backend: RwSignal::new(Backend::WebGpu),
            gpu: RwSignal::new(GpuStatus::Probing),
            active: RwSignal::new(None),
            notice: RwSignal::new(None),
            sensitivity: RwSignal::new(default_sensitivity()),
            views: RwSignal::new(Views::default()),
            marking: RwSignal::new(true),
            mode: RwSignal::new(ViewMode::Drawing),
            split: RwSignal::new(0.5),
            viewport: RwSignal::new(None),
            view_size: RwSignal::new((0.0, 0.0)),
            layers: RwSignal::new(0),
            shown: RwSignal::new(None),
            exporting: RwSignal::new(false),
            dragging: RwSignal::new(false),
        }
    }

    /// The backend the next run uses.
    pub fn effective_backend(&self) -> Backend {
        let gpu_ready = matches!(self.gpu.get_untracked(), GpuStatus::Ready { .. });
        match self.backend.get_untracked() {
            Backend::WebGpu if gpu_ready => Backend::WebGpu,
            _ => Backend::Cpu,
        }
    }
}

/// Per queued file: its bytes ([`bytes_to_keep`]: decoded again when needed, to keep memory per
/// file small) and, once the model has run, its probability map.
///
/// [`bytes_to_keep`]: fill_line_gaps::web::kept_bytes::bytes_to_keep
pub struct FileData {
    pub bytes: Rc<Vec<u8>>,
    /// The model's result, kept small: many files' results stay on the page at once.
    pub probability: Option<Rc<CompactProbabilities>>,
    pub thumbnail: Option<String>,
}

/// The selected file, decoded, with the viewer's pictures.
pub struct Current {
    pub id: ItemId,
    pub drawing: Rc<Drawing>,
    pub before: HtmlCanvasElement,
    /// The closure at `threshold`, and its pictures.
    pub closure: Option<Closure>,
    pub threshold: f32,
    pub after: Option<HtmlCanvasElement>,
    pub marks: Option<HtmlCanvasElement>,
    pub leak_before: Option<(HtmlCanvasElement, usize)>,
    pub leak_after: Option<(HtmlCanvasElement, usize)>,
}

#[derive(Default)]
pub struct Store {
    pub files: HashMap<ItemId, FileData>,
    pub current: Option<Current>,
    /// The run in progress and its cancel flag.
    pub cancel: Option<(ItemId, Rc<Cell<bool>>)>,
    pub runner_active: bool,
    pub gpu: Option<Rc<GapCloser>>,
    pub cpu: CpuWorkers,
}

/// The CPU path's workers: started with the page.
#[derive(Clone, Default)]
pub enum CpuWorkers {
    #[default]
    Starting,
    Done(Result<Rc<TileWorkers>, String>),
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::default();
}

/// Runs `f` on the store. Never hold on across an `.await`: copy out what you need.
pub fn with_store<R>(f: impl FnOnce(&mut Store) -> R) -> R {
    STORE.with(|store| f(&mut store.borrow_mut()))
}
