//! Training and evaluation data: clean line drawings (procedural or from the user's PNGs) with
//! realistic gaps cut into them. Pure Rust and deterministic for a seed, so the trainer, the
//! scorer and the tests all see the same samples.

pub mod canvas;
pub mod rng;
pub mod drawing;
pub mod gaps;
pub mod sample;

pub use canvas::{Canvas, darkness_bytes};
pub use rng::Rng;
pub use gaps::{Gap, GapKind, SitePicking, cut_gaps};
pub use sample::{CropScale, Sample, SampleSource};
