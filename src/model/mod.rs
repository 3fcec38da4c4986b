//! The network and its weight files.

mod gapnet;
mod grow;
mod weights;

pub use gapnet::{GapNet, GapNetConfig};
pub use grow::GrowError;
pub use weights::{WeightsError, load_weights, save_weights, DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME};
