//! The Leptos front end: one file per job. `state` holds the signals and the engine's data,
//! `work` the actions (add, run, select, re-composite, export), `compute` the backends and
//! the tiled inference loop, `tile_workers` the CPU path's Web Workers, `js` the few browser calls; the rest are components.

mod app;
mod backend_picker;
mod compute;
mod controls;
mod js;
mod queue_list;
mod state;
mod tile_workers;
mod viewer;
mod work;

pub fn start() {
    std::panic::set_hook(Box::new(|info| js::show_crash(&info.to_string())));
    leptos::mount::mount_to_body(app::App);
}
