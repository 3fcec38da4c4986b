//! The `fill-line-gaps` command end to end: outputs, modes, options and bad input.

mod common;

use std::path::Path;
use std::process::Command;

use image::{DynamicImage, GenericImageView};

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fill-line-gaps"))
}

fn write_png(path: &Path, image: &DynamicImage) {
    std::fs::write(path, common::png_bytes(image)).unwrap();
}

#[test]
fn closes_a_directory_of_frames_with_mark_and_layer() {
    let dir = tempfile::tempdir().unwrap();
    let (inputs, out) = (dir.path().join("cut"), dir.path().join("out"));
    std::fs::create_dir(&inputs).unwrap();
    let (grey, gaps) = common::gapped_shapes(8);
    let grey = DynamicImage::ImageLuma8(grey);
    write_png(&inputs.join("frame_001.png"), &grey);
    grey.to_rgb8().save(inputs.join("frame_002.jpg")).unwrap();
    grey.save(inputs.join("frame_003.tga")).unwrap();

    let run = cli().arg(&inputs).arg("-o").arg(&out).args(["--mark", "--layer"]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let report = String::from_utf8(run.stdout).unwrap();
    assert_eq!(report.lines().count(), 3, "one line per file: {report}");

    let closed = image::open(out.join("frame_001.png")).unwrap();
    assert_eq!(closed.color(), grey.color());
    assert!(common::bridged(&closed, gaps[0], true) && common::bridged(&closed, gaps[1], false));
    let from_jpeg = image::open(out.join("frame_002.png")).unwrap();
    assert!(matches!(from_jpeg, DynamicImage::ImageRgb8(_)));
    let from_tga = image::open(out.join("frame_003.png")).unwrap();
    assert_eq!(from_tga, closed, "a TGA frame closes as its PNG does");

    let marked = image::open(out.join("frame_001.mark.png")).unwrap().to_rgba8();
    assert!(marked.pixels().any(|p| p.0 == [255, 0, 0, 255]));
    let layer = image::open(out.join("frame_001.closures.png")).unwrap().to_rgba8();
    let opaque = layer.pixels().filter(|p| p.0[3] == 255).count();
    let transparent = layer.pixels().filter(|p| p.0[3] == 0).count();
    assert!(opaque > 0 && opaque + transparent == layer.len() / 4);
    // Everything opaque in the layer is new ink: paper in the input.
    for (x, y, p) in layer.enumerate_pixels() {
        if p.0[3] == 255 {
            assert!(grey.get_pixel(x, y).0[0] >= 128);
        }
    }
}

#[test]
fn bad_files_get_one_clear_line_and_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let good = dir.path().join("good.png");
    write_png(&good, &DynamicImage::ImageLuma8(common::gapped_shapes(4).0));
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, b"not an image at all").unwrap();
    let truncated = dir.path().join("truncated.png");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let missing = dir.path().join("missing.png");
    let huge = dir.path().join("huge.png");
    std::fs::write(&huge, huge_header_png()).unwrap();

    let run = cli().args([&good, &empty, &text, &truncated, &missing, &huge]).arg("-o").arg(&out).output().unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8(run.stderr).unwrap();
    for (file, reason) in [
        (&empty, "empty"),
        (&text, "not an image"),
        (&truncated, "corrupt"),
        (&missing, "No such file"),
        (&huge, "100000×100000"),
    ] {
        let line = stderr.lines().find(|l| l.contains(&*file.display().to_string()));
        let line = line.unwrap_or_else(|| panic!("no error line for {}: {stderr}", file.display()));
        assert!(line.contains(reason), "{line}");
    }
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
    assert!(out.join("good.png").exists(), "the good file was not processed");
}

#[test]
fn closes_a_pencil_sketch_in_its_own_tone_as_it_closes_the_inked_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let (inputs, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir(&inputs).unwrap();
    let (grey, gaps) = common::gapped_shapes(6);
    // The same shapes in light pencil: every line pixel lighter than 50 % grey.
    let pencil = image::GrayImage::from_fn(grey.width(), grey.height(), |x, y| image::Luma([255 - (255 - grey.get_pixel(x, y).0[0]) / 3]));
    write_png(&inputs.join("pencil.png"), &DynamicImage::ImageLuma8(pencil.clone()));
    write_png(&inputs.join("inked.png"), &DynamicImage::ImageLuma8(grey));
    let run = cli().arg(&inputs).arg("-o").arg(&out).arg("--mark").output().unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(run.status.success(), "{stderr}");
    let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert!(notes.len() == 1 && notes[0].contains("pencil.png") && notes[0].contains("levelled"), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");

    let added = |name: &str| -> Vec<bool> {
        image::open(out.join(format!("{name}.mark.png"))).unwrap().to_rgba8().pixels().map(|p| p.0 == [255, 0, 0, 255]).collect()
    };
    let (in_pencil, in_ink) = (added("pencil"), added("inked"));
    let both = in_pencil.iter().zip(&in_ink).filter(|(p, i)| **p && **i).count();
    let either = in_pencil.iter().zip(&in_ink).filter(|(p, i)| **p || **i).count();
    assert!(both > 0 && both * 10 >= either * 9, "pencil and ink closures overlap {both} of {either} pixels");
    // Original pencil untouched; every closure in the pencil's own grey, bridging both gaps.
    let closed = image::open(out.join("pencil.png")).unwrap().to_luma8();
    let pencil_grey = 255 - (255 - 20) / 3;
    for ((before, after), &is_added) in pencil.pixels().zip(closed.pixels()).zip(&in_pencil) {
        assert_eq!(after.0[0], if is_added { pencil_grey } else { before.0[0] });
    }
    let as_ink = DynamicImage::ImageLuma8(image::GrayImage::from_fn(160, 120, |x, y| {
        image::Luma([if closed.get_pixel(x, y).0[0] <= pencil_grey { 0 } else { 255 }])
    }));
    assert!(common::bridged(&as_ink, gaps[0], true) && common::bridged(&as_ink, gaps[1], false));
}

#[test]
fn refuses_to_overwrite_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("frame.png");
    write_png(&input, &DynamicImage::ImageLuma8(common::gapped_shapes(4).0));
    let before = std::fs::read(&input).unwrap();
    let run = cli().arg(&input).arg("-o").arg(dir.path()).output().unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn keeps_a_cuts_folder_layout_and_skips_its_own_outputs_and_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut_012");
    let (grey, gaps) = common::gapped_shapes(8);
    let grey = DynamicImage::ImageLuma8(grey);
    for cel in ["A", "B"] {
        std::fs::create_dir_all(cut.join(cel)).unwrap();
        write_png(&cut.join(cel).join("0001.png"), &grey);
    }
    // Not drawings: a rerun's earlier output, macOS's resource fork and a hidden folder. Each
    // would be an error line if it were read.
    let out = cut.join("closed");
    std::fs::create_dir_all(out.join("A")).unwrap();
    std::fs::write(out.join("A").join("0001.png"), b"an earlier output").unwrap();
    std::fs::write(cut.join("A").join("._0001.png"), b"resource fork").unwrap();
    std::fs::create_dir_all(cut.join(".thumbnails")).unwrap();
    std::fs::write(cut.join(".thumbnails").join("0001.png"), b"cache").unwrap();

    let run = cli().arg(&cut).arg("-o").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8(run.stdout).unwrap().lines().count(), 2, "one line per cel");
    for cel in ["A", "B"] {
        let closed = image::open(out.join(cel).join("0001.png")).unwrap();
        assert!(common::bridged(&closed, gaps[0], true), "cel {cel} closed in its own folder");
    }
    assert!(!out.join("closed").exists());
}

#[test]
fn skip_done_resumes_a_batch_and_writes_no_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let (inputs, out) = (dir.path().join("cut"), dir.path().join("out"));
    std::fs::create_dir(&inputs).unwrap();
    let grey = DynamicImage::ImageLuma8(common::gapped_shapes(8).0);
    for name in ["0001.png", "0002.png", "0003.png"] {
        write_png(&inputs.join(name), &grey);
    }
    let run = |extra: &[&str]| cli().arg(&inputs).arg("-o").arg(&out).args(extra).output().unwrap();
    assert!(run(&[]).status.success());
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&out), ["0001.png", "0002.png", "0003.png"], "outputs only, no partial files left");

    // The second frame was redrawn after its output was written; the others are up to date.
    let earlier = std::fs::metadata(inputs.join("0002.png")).unwrap().modified().unwrap() - std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(out.join("0002.png")).unwrap().set_modified(earlier).unwrap();
    let resumed = run(&["--skip-done"]);
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    let report = String::from_utf8(resumed.stdout).unwrap();
    assert_eq!(report.lines().count(), 1, "only the redrawn frame runs: {report}");
    assert!(report.contains("0002.png"), "{report}");
    assert!(String::from_utf8_lossy(&resumed.stderr).contains("skipped 2 of 3 drawings"));

    // Asking for a layer that was never written makes every frame due again.
    let with_layers = run(&["--skip-done", "--layer"]);
    assert_eq!(String::from_utf8(with_layers.stdout).unwrap().lines().count(), 3);
    let all_done = run(&["--skip-done", "--layer"]);
    assert!(all_done.status.success(), "nothing left to do is no error");
    assert_eq!(all_done.stdout.len(), 0);
}

#[test]
fn rejects_bad_options_and_weights() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("frame.png");
    write_png(&input, &DynamicImage::ImageLuma8(common::gapped_shapes(4).0));
    let out = dir.path().join("out");
    let run = cli().arg(&input).arg("-o").arg(&out).args(["--threshold", "1.5"]).output().unwrap();
    assert!(!run.status.success());
    let run = cli().arg(&input).arg("-o").arg(&out).args(["--jobs", "100000"]).output().unwrap();
    assert!(!run.status.success() && String::from_utf8_lossy(&run.stderr).contains("--jobs"));
    let run = cli().arg(&input).arg("-o").arg(&out).args(["--views", "4"]).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("must be 1 or 2"));
    let run = cli().arg(&input).arg("-o").arg(&out).args(["--tile-size", "16"]).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("tile size 16 is too small"));
    let weights = dir.path().join("broken.bpk");
    let shipped = fill_line_gaps::model::DEFAULT_WEIGHTS;
    std::fs::write(&weights, &shipped[..shipped.len() - 100]).unwrap();
    let run = cli().arg(&input).arg("-o").arg(&out).arg("--weights").arg(&weights).output().unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("broken.bpk") && stderr.contains("truncated"), "{stderr}");
}

/// A PNG whose header claims 100000×100000 pixels (with a valid CRC) and holds no pixel data.
fn huge_header_png() -> Vec<u8> {
    let mut bytes = common::png_bytes(&DynamicImage::new_luma8(1, 1));
    bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let mut crc = !0u32;
    for &byte in &bytes[12..29] {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    bytes[29..33].copy_from_slice(&(!crc).to_be_bytes());
    bytes
}

/// The GPU path gives the same pixels as the CPU. Without a Vulkan/Metal/DX12 device the CLI
/// falls back to the CPU; `tests/run.sh` installs lavapipe (Mesa's software Vulkan) and sets
/// `FILL_LINE_GAPS_REQUIRE_WGPU=1`, so there the wgpu backend itself is tested.
#[test]
fn wgpu_backend_matches_the_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("frame.png");
    let (grey, gaps) = common::gapped_shapes(6);
    write_png(&input, &DynamicImage::ImageLuma8(grey));
    let (cpu, gpu) = (dir.path().join("cpu"), dir.path().join("gpu"));
    let run = cli().arg(&input).arg("-o").arg(&cpu).arg("--quiet").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let run = cli().arg(&input).arg("-o").arg(&gpu).args(["--quiet", "--backend", "wgpu"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(run.stdout.is_empty(), "--quiet prints nothing");
    if std::env::var_os("FILL_LINE_GAPS_REQUIRE_WGPU").is_some() {
        assert!(!stderr.contains("no wgpu device"), "{stderr}");
    }
    let on_gpu = image::open(gpu.join("frame.png")).unwrap();
    assert_eq!(on_gpu.to_luma8(), image::open(cpu.join("frame.png")).unwrap().to_luma8());
    assert!(common::bridged(&on_gpu, gaps[0], true));
}

/// `fill-line-gaps train` on 64 px patches with a checkpoint and one validation drawing at every
/// step, writing `gapnet.bpk` and `checkpoint/` in `dir`.
fn tiny_training(dir: &Path, args: &[&str]) -> std::process::Output {
    cli()
        .args(["train", "--patch", "64", "--checkpoint-every", "1", "--log-every", "1", "--validation-samples", "1"])
        .args(args)
        .arg("--out")
        .arg(dir.join("gapnet.bpk"))
        .arg("--checkpoint-dir")
        .arg(dir.join("checkpoint"))
        .output()
        .unwrap()
}

#[test]
fn training_resumes_grows_wider_fine_tunes_and_refuses_to_shrink() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gapnet.bpk");
    let train = |steps: &str, widths: &str| tiny_training(dir.path(), &["--batch", "1", "--steps", steps, "--widths", widths]);
    let first = train("1", "8,8,8");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let grown = train("2", "12,8,8");
    let log = String::from_utf8_lossy(&grown.stderr);
    assert!(grown.status.success() && log.contains("growing [8, 8, 8]") && log.contains("at step 1"), "{log}");
    let device = burn::prelude::Device::flex();
    let (_, config) = fill_line_gaps::model::load_weights(&std::fs::read(&out).unwrap(), "out", &device).unwrap();
    assert_eq!(config.widths, [12, 8, 8]);
    let optimizer = dir.path().join("checkpoint/optimizer.bpk");
    std::fs::remove_file(&optimizer).unwrap();
    let fine_tuned = train("3", "12,8,8");
    let log = String::from_utf8_lossy(&fine_tuned.stderr);
    assert!(fine_tuned.status.success() && log.contains("optimizer starts afresh") && log.contains("checkpoint step 3"), "{log}");
    assert!(optimizer.exists());
    let shrunk = train("4", "8,8,8");
    let log = String::from_utf8_lossy(&shrunk.stderr);
    assert!(!shrunk.status.success() && log.contains("only get wider"), "{log}");
}

#[test]
fn training_writes_its_weights_into_a_folder_it_creates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("runs/a/gapnet.bpk");
    let run = cli()
        .args(["train", "--patch", "64", "--batch", "1", "--steps", "1", "--widths", "8,8,8", "--validation-samples", "1"])
        .arg("--out")
        .arg(&out)
        .arg("--checkpoint-dir")
        .arg(dir.path().join("checkpoint"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(out.is_file());
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["gapnet.bpk"], "only the weights, no partial file");
}

/// Training on wgpu (lavapipe under `tests/run.sh`), validation included, then resuming on the
/// CPU from that checkpoint's weights and optimizer state, with a warm restart on scaled crops of
/// a drawing.
#[test]
fn training_runs_on_wgpu_and_resumes_on_the_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("checkpoint");
    let train = |steps: &str, extra: &[&str]| {
        tiny_training(dir.path(), &[&["--batch", "2", "--steps", steps, "--widths", "8,8,8"], extra].concat())
    };
    let on_gpu = train("2", &["--backend", "wgpu"]);
    let log = String::from_utf8_lossy(&on_gpu.stderr);
    assert!(on_gpu.status.success() && log.contains("checkpoint step 2"), "{log}");
    if std::env::var_os("FILL_LINE_GAPS_REQUIRE_WGPU").is_some() {
        assert!(!log.contains("no wgpu device"), "{log}");
    }
    let refused = train("2", &["--schedule-start", "2"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--schedule-start"));
    let refused = train("2", &["--crop-scale", "2,1"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--crop-scale"));
    // Resumed on the user's own drawings, cropped at half to full size.
    let drawings = dir.path().join("drawings");
    std::fs::create_dir(&drawings).unwrap();
    write_png(&drawings.join("shapes.png"), &DynamicImage::ImageLuma8(common::gapped_shapes(0).0));
    std::fs::write(drawings.join("._shapes.png"), b"Mac OS X resource fork").unwrap();
    let drawings = drawings.to_str().unwrap();
    let on_cpu = train("4", &["--schedule-start", "2", "--drawings", drawings, "--crop-scale", "0.5,1"]);
    let log = String::from_utf8_lossy(&on_cpu.stderr);
    assert!(on_cpu.status.success() && log.contains("resuming") && log.contains("checkpoint step 4"), "{log}");
    assert_eq!(std::fs::read_to_string(checkpoint.join("step")).unwrap(), "4");
}

#[test]
fn eval_reports_every_gap_as_the_table_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let drawings = dir.path().join("clean");
    std::fs::create_dir(&drawings).unwrap();
    write_png(&drawings.join("shapes.png"), &DynamicImage::ImageLuma8(common::gapped_shapes(0).0));
    // What macOS leaves beside a file on a shared drive: not a drawing, and skipped.
    std::fs::write(drawings.join("._shapes.png"), b"Mac OS X resource fork").unwrap();
    let (report, table) = (dir.path().join("gaps.csv"), dir.path().join("table.md"));
    let run = cli()
        .arg("eval")
        .arg(&drawings)
        .args(["--model-only", "--threshold", "0.3,0.6", "--gap-report"])
        .arg(&report)
        .arg("--markdown")
        .arg(&table)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let csv = std::fs::read_to_string(&report).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("drawing,kind,stroke_width,length,x,y,surest_crossing,closed_t0.3,closed_t0.6"));
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    assert!(rows.len() >= 4, "{csv}");
    // Each threshold's closure in the table is its column's share of closed gaps.
    let table = std::fs::read_to_string(&table).unwrap();
    for (column, threshold) in [(7, 0.3f32), (8, 0.6)] {
        let closed = rows.iter().filter(|row| row[column] == "1").count();
        let row = table.lines().find(|line| line.starts_with(&format!("| model t={threshold} "))).expect("a table row");
        let closure: f64 = row.split('|').nth(2).unwrap().trim().parse().unwrap();
        assert!((closure - closed as f64 / rows.len() as f64).abs() < 6e-4, "{closure} vs {closed}/{}", rows.len());
        // A closure runs through added ink, which the network gave more than the threshold.
        for row in rows.iter().filter(|row| row[column] == "1") {
            assert!(row[6].parse::<f32>().unwrap() > threshold, "{row:?}");
        }
    }    // Redrawn on paper in uneven light, and a clear error for a paper that cannot be.
    let lit = cli().arg("eval").arg(&drawings).args(["--model-only", "--paper", "230:160"]).output().unwrap();
    assert!(lit.status.success() && String::from_utf8_lossy(&lit.stdout).contains("| model t="), "{}", String::from_utf8_lossy(&lit.stderr));
    let bad = cli().arg("eval").arg(&drawings).args(["--paper", "230:0"]).output().unwrap();
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("`0` is not a grey from 1 to 254"));
}
