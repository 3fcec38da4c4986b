//! Drawings on disk, for the native front ends (CLI, trainer, scorer): finding them in folders
//! and writing results so that an interruption never leaves a truncated file.

use std::path::{Path, PathBuf};

use crate::engine::has_image_extension;

/// The drawings under `root`, at any depth and sorted, each with its path relative to `root`,
/// so that a cut's folders of cels (`A/0001.tga`, `B/0001.tga`) can keep their layout. Folders
/// that cannot be read are returned beside them. Skipped: the folder `skip` (an output folder
/// inside `root`: a rerun must not close its own outputs), hidden entries (`.git`, the `._`
/// files macOS leaves on shared drives) and links to folders (which can loop).
pub fn find_drawings(root: &Path, skip: Option<&Path>) -> (Vec<(PathBuf, PathBuf)>, Vec<(PathBuf, std::io::Error)>) {
    let (mut found, mut unreadable) = (Vec::new(), Vec::new());
    let skip = skip.and_then(|s| s.canonicalize().ok());
    search(root, root, skip.as_deref(), &mut found, &mut unreadable);
    found.sort();
    (found, unreadable)
}

fn search(root: &Path, dir: &Path, skip: Option<&Path>, found: &mut Vec<(PathBuf, PathBuf)>, unreadable: &mut Vec<(PathBuf, std::io::Error)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return unreadable.push((dir.to_owned(), e)),
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if skip.is_none_or(|skip| path.canonicalize().is_ok_and(|p| p != skip)) {
                search(root, &path, skip, found, unreadable);
            }
        } else if path.is_file() && has_image_extension(&path) {
            let place = path.strip_prefix(root).expect("found under the root").to_path_buf();
            found.push((path, place));
        }
    }
}

/// Writes beside `path` under a hidden name, then renames: an interrupted run leaves no
/// truncated file that looks finished (and that the CLI's `--skip-done` or a resumed training
/// would take as whole).
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!(".{name}.part"));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
