//! The engine with the shipped weights: tiling reproduces whole-image inference, original ink
//! is never altered, gaps in simple shapes are closed, and any image size works.

mod common;

use burn::prelude::Device;
use image::{DynamicImage, GenericImageView, ImageBuffer, Luma};

use fill_line_gaps::engine::{
    DEFAULT_THRESHOLD, Drawing, GapCloser, INK_LEVEL, TileGrid, composite, decode,
};
use fill_line_gaps::model::{DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME};
use fill_line_gaps::synth::{Rng, SitePicking, cut_gaps, drawing::procedural};

fn closer() -> GapCloser {
    GapCloser::from_weights(DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_NAME, Device::flex()).expect("shipped weights load")
}

fn close(closer: &GapCloser, drawing: &Drawing, tile_size: usize) -> fill_line_gaps::engine::Closure {
    let grid = closer.grid(drawing.width(), drawing.height(), tile_size).unwrap();
    let probability = closer.predict(&grid, &drawing.darkness, 3, |_, _| {});
    composite(drawing, &probability, DEFAULT_THRESHOLD)
}

#[test]
fn tiled_inference_equals_whole_image_inference() {
    let closer = closer();
    // 389×277 procedural line art with gaps: 3×2 tiles, sizes that divide nothing.
    let mut rng = Rng::new(11);
    let clean = procedural(389, &mut rng);
    let (cut, _) = cut_gaps(&clean, 12, 16.0, SitePicking::Random, &mut rng);
    let image = image::imageops::crop_imm(&cut.to_image(), 0, 0, 389, 277).to_image();
    let drawing = Drawing::from_image(DynamicImage::ImageLuma8(image));
    let tiled_grid = closer.grid(389, 277, 320).unwrap();
    assert!(tiled_grid.len() >= 6, "only {} tiles", tiled_grid.len());
    let whole_grid = TileGrid::whole(389, 277, closer.margin());
    assert_eq!(whole_grid.len(), 1);
    let tiled = closer.predict(&tiled_grid, &drawing.darkness, 4, |_, _| {});
    let whole = closer.predict(&whole_grid, &drawing.darkness, 1, |_, _| {});
    let differing = tiled
        .values
        .iter()
        .zip(&whole.values)
        .filter(|(a, b)| (**a > DEFAULT_THRESHOLD) != (**b > DEFAULT_THRESHOLD))
        .count();
    assert_eq!(differing, 0);
    let largest = tiled.values.iter().zip(&whole.values).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(largest < 1e-4, "probabilities differ by {largest}");
}

/// Every pixel at least as dark as the ink level is identical in the output.
fn assert_ink_untouched(before: &Drawing, after: &DynamicImage) {
    let width = before.width() as u32;
    let mut checked = 0;
    for (i, &darkness) in before.darkness.iter().enumerate() {
        if darkness >= INK_LEVEL {
            let (x, y) = (i as u32 % width, i as u32 / width);
            assert_eq!(before.image.get_pixel(x, y), after.get_pixel(x, y), "ink changed at {x},{y}");
            checked += 1;
        }
    }
    assert!(checked > 1000);
}

#[test]
fn closes_gaps_in_every_colour_mode_without_touching_ink() {
    let closer = closer();
    let (grey, gaps) = common::gapped_shapes(6);
    let grey16 = DynamicImage::ImageLuma16(ImageBuffer::from_fn(grey.width(), grey.height(), |x, y| {
        Luma([grey.get_pixel(x, y).0[0] as u16 * 257])
    }));
    let variants = [
        DynamicImage::ImageLuma8(grey.clone()),
        grey16,
        DynamicImage::ImageRgba8(common::as_blue_layer(&grey)),
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(common::as_blue_layer(&grey)).to_rgb8()),
    ];
    for image in variants {
        let drawing = decode(&common::png_bytes(&image)).unwrap();
        let closure = close(&closer, &drawing, 512);
        assert_eq!(closure.image.color(), image.color());
        assert_eq!(closure.image.dimensions(), image.dimensions());
        assert_ink_untouched(&drawing, &closure.image);
        assert!(common::bridged(&closure.image, gaps[0], true), "{:?}: rectangle gap open", image.color());
        assert!(common::bridged(&closure.image, gaps[1], false), "{:?}: ellipse gap open", image.color());
        assert!(closure.added_pixels < 200, "{:?}: {} pixels added", image.color(), closure.added_pixels);
    }
}

#[test]
fn added_ink_takes_the_colour_of_the_line() {
    let closer = closer();
    let (grey, gaps) = common::gapped_shapes(6);
    let drawing = Drawing::from_image(DynamicImage::ImageRgba8(common::as_blue_layer(&grey)));
    let closure = close(&closer, &drawing, 512);
    let out = closure.image.to_rgba8();
    let (x, y) = gaps[0];
    assert_eq!(out.get_pixel(x, y).0, [10, 20, 200, 255]);
}

#[test]
fn any_image_size_works() {
    let closer = closer();
    for (w, h) in [(1, 1), (7, 3000), (1921, 1081), (3840, 2160)] {
        let paper = image::GrayImage::from_pixel(w, h, Luma([255]));
        let drawing = Drawing::from_image(DynamicImage::ImageLuma8(paper));
        let closure = close(&closer, &drawing, 512);
        assert_eq!(closure.image.dimensions(), (w, h));
        assert_eq!(closure.added_pixels, 0, "{w}×{h}: ink added to blank paper");
    }
}
