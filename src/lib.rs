//! Fill Line Gaps closes the small gaps in line art (genga, sketches, comic inks) so that
//! bucket fill no longer leaks, without ever changing the original lines.
//!
//! [`engine`] is the pipeline every front end shares; [`model`] is the network and its weight
//! files; [`synth`] makes training and evaluation drawings with realistic gaps; [`score`]
//! measures closures; native only, `train` fits the network, `eval` compares it with classical
//! closings on a dev set and `files` finds drawings in folders and writes results whole;
//! [`web`] is the browser app's platform-independent logic (its Leptos front end is the
//! `fill-line-gaps-web` binary).

pub mod engine;
#[cfg(feature = "native")]
pub mod eval;
#[cfg(feature = "native")]
pub mod files;
pub mod model;
pub mod score;
pub mod synth;
pub mod web;
#[cfg(feature = "native")]
pub mod train;
