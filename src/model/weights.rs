//! Weight files: burnpack with the network's widths in its metadata, so a file carries
//! everything needed to rebuild the network it was trained as.

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use burn::tensor::Bytes;
use burn_pack::Reader;

use super::{GapNet, GapNetConfig};

/// The shipped model, embedded so the CLI and the web app need no file next to them.
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("../../models/gapnet.bpk");
pub const DEFAULT_WEIGHTS_NAME: &str = "models/gapnet.bpk";

const WIDTHS_KEY: &str = "gapnet.widths";

#[derive(Debug, thiserror::Error)]
#[error("weights {name}: {reason}")]
pub struct WeightsError {
    pub name: String,
    pub reason: String,
}

/// Builds the network stored in `bytes`; `name` (usually the file path) appears in errors.
pub fn load_weights(bytes: &[u8], name: &str, device: &Device) -> Result<(GapNet, GapNetConfig), WeightsError> {
    let fail = |reason: String| WeightsError { name: name.to_owned(), reason };
    if bytes.is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let reader = Reader::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| fail(format!("not a burnpack file ({e:?})")))?;
    let widths = reader
        .metadata()
        .get(WIDTHS_KEY)
        .ok_or_else(|| fail(format!("no `{WIDTHS_KEY}` entry: not a Fill Line Gaps model")))?;
    let config = GapNetConfig::new().with_widths(parse_widths(widths).ok_or_else(|| fail(format!("bad widths `{widths}`")))?);
    let mut model = config.init(device);
    let mut store = BurnpackStore::from_bytes(Some(Bytes::from_bytes_vec(bytes.to_vec()))).validate(true);
    let result = model
        .load_from(&mut store)
        .map_err(|e| fail(format!("truncated or corrupt ({e})")))?;
    if !result.is_success() || !result.missing.is_empty() || !result.unused.is_empty() {
        let missing: Vec<_> = result.missing.iter().map(|(k, _)| k.as_str()).collect();
        return Err(fail(format!(
            "does not match the network (missing: {missing:?}, unexpected: {:?}, errors: {:?})",
            result.unused, result.errors
        )));
    }
    Ok((model, config))
}

/// Serialises `model` with its widths into burnpack bytes.
pub fn save_weights(model: &GapNet, config: &GapNetConfig) -> Result<Vec<u8>, WeightsError> {
    let widths = config.widths.map(|w| w.to_string()).join(",");
    let mut store = BurnpackStore::from_bytes(None).metadata(WIDTHS_KEY, widths);
    let fail = |reason: String| WeightsError { name: "(in memory)".into(), reason };
    model.save_into(&mut store).map_err(|e| fail(e.to_string()))?;
    Ok(store.get_bytes().map_err(|e| fail(format!("{e:?}")))?.to_vec())
}

fn parse_widths(text: &str) -> Option<[usize; 3]> {
    let values: Vec<usize> = text.split(',').map(|v| v.trim().parse().ok()).collect::<Option<_>>()?;
    let widths: [usize; 3] = values.try_into().ok()?;
    GapNetConfig::widths_are_valid(&widths).then_some(widths)
}
