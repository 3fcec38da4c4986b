//! The CPU path: a pool of Web Workers (`src/web/tile_worker.rs`), one per core up to
//! [`MAX_WORKERS`], started with the page so their code is fetched while it loads. Tiles go to
//! whichever worker is free, so a frame uses every core and the page's thread stays smooth.
//! Every tile is sent under a number that its reply repeats, so replies to a cancelled run
//! are recognised and dropped.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use js_sys::{Array, Float32Array, Object, Promise, Reflect};
use leptos::prelude::window;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use fill_line_gaps::engine::{TileGrid, Views};
use fill_line_gaps::engine::infer::stitch_batch;

use super::compute::RunError;
use super::js;

/// Trunk's loader for the worker binary (`data-type="worker"` in index.html): workers keep
/// their Cargo name, without a content hash.
const SCRIPT: &str = "./fill-line-gaps-tile-worker_loader.js";
/// Each worker holds a model and a tile's activations; beyond four, memory grows faster than
/// a 1080p frame gains.
const MAX_WORKERS: usize = 4;

pub struct TileWorkers {
    workers: Vec<Worker>,
    inbox: Rc<RefCell<Inbox>>,
    /// Numbers the tiles sent, so a late reply to an abandoned run is told apart.
    sent: Cell<u32>,
    /// The network's receptive radius, as the workers' model reports it: the tile margin.
    pub margin: usize,
    _handlers: Vec<(Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(ErrorEvent)>)>,
}

/// Replies not yet taken, by worker, and the waiting run to wake when one comes. A reply is
/// the worker's message (its output or its error, under the number it answers), or the error
/// of a worker that crashed.
#[derive(Default)]
struct Inbox {
    replies: VecDeque<(usize, Result<JsValue, String>)>,
    wake: Option<js_sys::Function>,
}

impl Inbox {
    fn push(inbox: &RefCell<Inbox>, worker: usize, reply: Result<JsValue, String>) {
        let wake = {
            let mut inbox = inbox.borrow_mut();
            inbox.replies.push_back((worker, reply));
            inbox.wake.take()
        };
        if let Some(wake) = wake {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

impl TileWorkers {
    /// Starts the workers and waits until each has loaded the model.
    pub async fn start() -> Result<Self, String> {
        let count = (window().navigator().hardware_concurrency() as usize).clamp(1, MAX_WORKERS);
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let (mut workers, mut handlers) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for index in 0..count {
            let worker = Worker::new(SCRIPT).map_err(|e| format!("cannot start a CPU worker: {}", js::message(&e)))?;
            let replies = inbox.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                Inbox::push(&replies, index, Ok(event.data()));
            });
            let replies = inbox.clone();
            let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                Inbox::push(&replies, index, Err(format!("a CPU worker failed: {}", event.message())));
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            workers.push(worker);
            handlers.push((on_message, on_error));
        }
        let mut pool = Self { workers, inbox, sent: Cell::new(0), margin: 0, _handlers: handlers };
        for _ in 0..count {
            let reply = pool.next_reply().await.1?;
            let margin = field(&reply, "margin").and_then(|v| v.as_f64()).ok_or_else(|| error_text(&reply))?;
            pool.margin = margin as usize;
        }
        Ok(pool)
    }

    pub fn count(&self) -> usize {
        self.workers.len()
    }

    /// Runs `tiles` of `grid` over `darkness`, seeing `views`, and stitches each into `values`
    /// as it comes back, calling `tile_done` after each; stops at the next reply once `cancel`
    /// is set.
    #[allow(clippy::too_many_arguments)]
    pub async fn run(
        &self,
        grid: &TileGrid,
        darkness: &[u8],
        tiles: Range<usize>,
        views: Views,
        values: &mut [f32],
        cancel: &Cell<bool>,
        mut tile_done: impl FnMut(),
    ) -> Result<(), RunError> {
        // Per worker: the tile it is running for this run, and the number it was sent under.
        let mut running: Vec<Option<(usize, u32)>> = vec![None; self.workers.len()];
        let mut next = tiles.start;
        loop {
            if cancel.get() {
                return Err(RunError::Cancelled);
            }
            for (worker, job) in self.workers.iter().zip(running.iter_mut()) {
                if job.is_none() && next < tiles.end {
                    *job = Some((next, self.send(worker, grid, darkness, next, views).map_err(RunError::Failed)?));
                    next += 1;
                }
            }
            if running.iter().all(Option::is_none) {
                return Ok(());
            }
            let (worker, reply) = self.next_reply().await;
            let reply = reply.map_err(RunError::Failed)?;
            let number = field(&reply, "job").and_then(|v| v.as_f64());
            let Some((tile, sent)) = running[worker] else { continue };
            if number != Some(sent as f64) {
                continue; // a late reply (output or error) to an abandoned run
            }
            running[worker] = None;
            let output = field(&reply, "output")
                .and_then(|v| v.dyn_into::<Float32Array>().ok())
                .ok_or_else(|| RunError::Failed(error_text(&reply)))?;
            stitch_batch(grid, tile..tile + 1, &output.to_vec(), values);
            tile_done();
        }
    }

    /// Posts one tile's input to `worker`; returns the number it was sent under.
    fn send(&self, worker: &Worker, grid: &TileGrid, darkness: &[u8], tile: usize, views: Views) -> Result<u32, String> {
        let job = self.sent.get().wrapping_add(1);
        self.sent.set(job);
        let mut input = vec![0.0f32; grid.tile_w * grid.tile_h];
        grid.extract(tile, darkness, &mut input);
        let input = Float32Array::from(input.as_slice());
        let message = Object::new();
        for (key, value) in [
            ("job", JsValue::from(job)),
            ("width", JsValue::from(grid.tile_w as f64)),
            ("height", JsValue::from(grid.tile_h as f64)),
            ("views", JsValue::from(views.count() as f64)),
            ("input", input.clone().into()),
        ] {
            let _ = Reflect::set(&message, &JsValue::from_str(key), &value);
        }
        worker
            .post_message_with_transfer(&message, &Array::of1(&input.buffer()))
            .map_err(|e| format!("cannot reach a CPU worker: {}", js::message(&e)))?;
        Ok(job)
    }

    /// The next reply of any worker, waiting for one if none has come.
    async fn next_reply(&self) -> (usize, Result<JsValue, String>) {
        loop {
            if let Some(reply) = self.inbox.borrow_mut().replies.pop_front() {
                return reply;
            }
            let inbox = self.inbox.clone();
            let arrived = Promise::new(&mut |resolve, _| inbox.borrow_mut().wake = Some(resolve));
            let _ = JsFuture::from(arrived).await;
        }
    }
}

fn field(data: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(data, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn error_text(data: &JsValue) -> String {
    let reason = field(data, "error").map(|e| js::message(&e)).unwrap_or_else(|| "no output".into());
    format!("a CPU worker failed: {reason}")
}
