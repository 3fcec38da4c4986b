//! The browser app's CPU path runs here: a Web Worker that holds the network on burn-flex and
//! turns one tile's input into its probabilities per message. The page starts one per core, so
//! tiles run in parallel and the page's own thread never stalls (see `ui/tile_workers.rs`).
//!
//! Messages in: `{ job, width, height, views, input: Float32Array }` (views: 1 or 2). Out: `{ margin }` (the tile
//! margin the model needs) once it is loaded, then `{ job, output: Float32Array }` per tile, or
//! `{ job, error }`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::rc::Rc;

    use burn::prelude::Device;
    use burn::tensor::{Tensor, TensorData};
    use fill_line_gaps::engine::{GapCloser, Views};
    use fill_line_gaps::model::{DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME};
    use js_sys::{Array, Float32Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn reply(scope: &DedicatedWorkerGlobalScope, fields: &[(&str, JsValue)], transfer: &Array) {
        let message = Object::new();
        for (key, value) in fields {
            let _ = Reflect::set(&message, &JsValue::from_str(key), value);
        }
        if let Err(e) = scope.post_message_with_transfer(&message, transfer) {
            web_sys::console::error_2(&"tile worker: cannot reply".into(), &e);
        }
    }

    fn number(data: &JsValue, key: &str) -> Result<usize, String> {
        Reflect::get(data, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|v| *v >= 0.0)
            .map(|v| v as usize)
            .ok_or_else(|| format!("message without {key}"))
    }

    async fn run(closer: &GapCloser, data: &JsValue) -> Result<Float32Array, String> {
        let (width, height) = (number(data, "width")?, number(data, "height")?);
        let views = number(data, "views").and_then(|n| Views::from_count(n).ok_or_else(|| format!("{n} views")))?;
        let input: Float32Array = Reflect::get(data, &JsValue::from_str("input"))
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or("message without input")?;
        if input.length() as usize != width * height {
            return Err(format!("{} input values for a {width}×{height} tile", input.length()));
        }
        let tensor = Tensor::from_data(TensorData::new(input.to_vec(), [1, 1, height, width]), closer.device());
        let output = closer.clone().with_views(views).forward(tensor).into_data_async().await.map_err(|e| format!("{e:?}"))?;
        let output = output.try_into_vec::<f32>().map_err(|e| format!("{e:?}"))?;
        Ok(Float32Array::from(output.as_slice()))
    }

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let closer = match GapCloser::from_weights(DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME, Device::flex()) {
        Ok(closer) => Rc::new(closer),
        Err(e) => return reply(&scope, &[("error", e.to_string().into())], &Array::new()),
    };
    let margin = closer.margin() as f64;
    let respond = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let (closer, respond, data) = (closer.clone(), respond.clone(), event.data());
        wasm_bindgen_futures::spawn_local(async move {
            let job = Reflect::get(&data, &JsValue::from_str("job")).unwrap_or(JsValue::NULL);
            match run(&closer, &data).await {
                Ok(output) => {
                    reply(&respond, &[("job", job), ("output", output.clone().into())], &Array::of1(&output.buffer()))
                }
                Err(e) => reply(&respond, &[("job", job), ("error", e.into())], &Array::new()),
            }
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    reply(&scope, &[("margin", margin.into())], &Array::new());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fill-line-gaps-tile-worker is the web app's Web Worker: Trunk builds it with the app (see README.md)");
    std::process::exit(2);
}
