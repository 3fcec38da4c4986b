//! The one pipeline shared by the CLI, the web app and the trainer's scorer:
//! decode → tile → model → composite → encode, a module per stage, and the mask operations
//! (`mask`) that the composite's checks, the scorer and the training synthesis share.

mod bridge;
pub mod composite;
pub mod decode;
pub mod encode;
pub mod infer;
pub mod levels;
mod links;
pub mod mask;
pub mod metadata;
pub mod tile;

pub use composite::{Closure, CompactProbabilities, DEFAULT_THRESHOLD, INK_LEVEL, composite};
pub use decode::{DecodeError, Drawing, IMAGE_EXTENSIONS, READABLE_FORMATS, decode, has_image_extension};
pub use encode::{MARK, closures_layer, encode_png, marked};
pub use infer::{GapCloser, ProbabilityMap, TileOptions, Views};
pub use metadata::{Metadata, Resolution};
pub use tile::{TileGrid, TileSizeError};
