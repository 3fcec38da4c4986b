//! Export: download names and the batch ZIP.
//!
//! A closed drawing downloads as `<stem>.closed.png`, its closures layer as
//! `<stem>.closures.png` (the CLI's suffix); a batch is one ZIP of both for every file.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// The name of a batch download.
pub const ZIP_NAME: &str = "closed-drawings.zip";

/// The file name without folders and extension, never empty, safe as a download name.
pub fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rfind('.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    };
    let clean = safe(stem);
    if clean.is_empty() { "drawing".into() } else { clean }
}

/// A name part with the characters file systems refuse replaced, trimmed.
fn safe(part: &str) -> String {
    let clean: String = part.chars().map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c }).collect();
    clean.trim().into()
}

/// The folders a name lies in (the layout of a dropped folder), each made safe and followed by
/// `/`; none for a plain file name, and never a way out of the archive (`..`).
fn folders(name: &str) -> String {
    let mut parts: Vec<&str> = name.split(['/', '\\']).collect();
    parts.pop();
    parts.into_iter().map(safe).filter(|p| !p.is_empty() && p != "." && p != "..").map(|p| p + "/").collect()
}

/// The closed drawing's download name.
pub fn closed_name(name: &str) -> String {
    format!("{}.closed.png", stem(name))
}

/// The closures layer's download name.
pub fn closures_name(name: &str) -> String {
    format!("{}.closures.png", stem(name))
}

/// Each name's folders and stem, made unique in order: the second `frame` becomes `frame-2`,
/// and so on (pasted images are all called `image.png`).
pub fn unique_stems<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = folders(name) + &stem(name);
            let mut candidate = base.clone();
            let mut n = 1;
            while !taken.insert(candidate.to_lowercase()) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            candidate
        })
        .collect()
}

/// Per file of a batch, its (closed drawing, closures layer) names inside the ZIP, in the
/// folders it was dropped in, with stems made unique.
pub fn batch_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    unique_stems(names).into_iter().map(|stem| (format!("{stem}.closed.png"), format!("{stem}.closures.png"))).collect()
}

/// A ZIP of the given files in order. PNGs are deflate-compressed already, so entries are
/// stored as they are: the archive is as small and builds instantly.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(files.iter().any(|(_, bytes)| bytes.len() >= u32::MAX as usize));
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn names_follow_the_input() {
        assert_eq!(closed_name("frame_0012.tif"), "frame_0012.closed.png");
        assert_eq!(closures_name("cut 3/frame.v2.png"), "frame.v2.closures.png");
        assert_eq!(closed_name(".png"), ".png.closed.png", "a dot file keeps its name");
        assert_eq!(closed_name("   "), "drawing.closed.png");
        assert_eq!(stem("C:\\scans\\a:b?.png"), "a_b_");
    }

    #[test]
    fn duplicate_stems_get_numbers() {
        let stems = unique_stems(["image.png", "image.png", "Image.jpg", "other.png", "image-2.png"]);
        assert_eq!(stems, ["image", "image-2", "Image-3", "other", "image-2-2"]);
    }

    #[test]
    fn batch_names_keep_a_dropped_folders_layout_inside_the_archive() {
        let names = batch_names(["cut_012/A/0001.png", "cut_012/B/0001.png", "../up/a:b/0001.png", "0001.png"]);
        let closed: Vec<&str> = names.iter().map(|(closed, _)| closed.as_str()).collect();
        assert_eq!(closed, ["cut_012/A/0001.closed.png", "cut_012/B/0001.closed.png", "up/a_b/0001.closed.png", "0001.closed.png"]);
        assert_eq!(names[1].1, "cut_012/B/0001.closures.png");
    }

    #[test]
    fn batch_names_keep_dotted_stems_and_stay_unique() {
        let names = batch_names(["frame.v2.png", "frame.v2.tif"]);
        assert_eq!(names[0], ("frame.v2.closed.png".to_string(), "frame.v2.closures.png".to_string()));
        assert_eq!(names[1].0, "frame.v2-2.closed.png");
    }

    #[test]
    fn zip_round_trips() {
        let files = vec![("a.closed.png".to_string(), vec![1, 2, 3]), ("a.closures.png".to_string(), vec![])];
        let bytes = zip(&files).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut first = archive.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "a.closed.png");
        assert_eq!(first.compression(), CompressionMethod::Stored);
        let mut content = Vec::new();
        first.read_to_end(&mut content).unwrap();
        assert_eq!(content, [1, 2, 3]);
    }
}
