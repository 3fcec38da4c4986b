//! The browser app (issue 5): drop drawings, close their gaps on the user's GPU or CPU,
//! compare before and after, export — nothing leaves the page. Trunk builds it for wasm32
//! from `index.html` (see README.md); the platform-independent logic is in the library's
//! `web` module, the Leptos front end in `ui/`.

#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
fn main() {
    ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fill-line-gaps-web runs in a browser: build it with `trunk build --release` (see README.md)");
    std::process::exit(2);
}
