//! The browser app's logic that needs no browser: the file queue, what it keeps of each file,
//! export names and the ZIP, the leak-check colouring, the viewer's zoom and pan, and the
//! compute settings. It compiles (and is tested) natively; the Leptos front end in
//! `src/web/main.rs` and `src/web/ui/` is the thin layer that wires it to the page.

pub mod export;
pub mod kept_bytes;
pub mod leak;
pub mod queue;
pub mod settings;
pub mod viewport;
