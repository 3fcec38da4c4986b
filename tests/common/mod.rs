//! Drawings with known gaps for the integration tests.

#![allow(dead_code)] // each test binary uses its own part of this module

use image::{DynamicImage, GrayImage, Luma, Rgba, RgbaImage};

/// A 160×120 sheet with a rectangle and an ellipse outlined 3 px wide, each broken by a gap of
/// `gap` px: the shapes a colourist would bucket-fill. Returns the gapped drawing and the gap
/// centres (`x`, `y`, horizontal?).
pub fn gapped_shapes(gap: u32) -> (GrayImage, Vec<(u32, u32)>) {
    let mut image = GrayImage::from_pixel(160, 120, Luma([255]));
    for y in 0..120u32 {
        for x in 0..160u32 {
            let on_rect = (10..=70).contains(&x) && (15..=95).contains(&y)
                && (x <= 12 || x >= 68 || y <= 17 || y >= 93);
            let (dx, dy) = ((x as f32 - 115.0) / 32.0, (y as f32 - 60.0) / 40.0);
            let r = (dx * dx + dy * dy).sqrt();
            let on_ellipse = (r - 1.0).abs() * 34.0 < 1.6;
            if on_rect || on_ellipse {
                image.put_pixel(x, y, Luma([20]));
            }
        }
    }
    // Gap in the rectangle's top edge, and in the ellipse's left side.
    let half = gap / 2;
    for y in 14..=18 {
        for x in 40 - half..40 - half + gap {
            image.put_pixel(x, y, Luma([255]));
        }
    }
    for y in 60 - half..60 - half + gap {
        for x in 80..=86 {
            image.put_pixel(x, y, Luma([255]));
        }
    }
    (image, vec![(40, 16), (83, 60)])
}

/// The same drawing as a transparent line layer in dark blue.
pub fn as_blue_layer(grey: &GrayImage) -> RgbaImage {
    RgbaImage::from_fn(grey.width(), grey.height(), |x, y| {
        if grey.get_pixel(x, y).0[0] < 128 { Rgba([10, 20, 200, 255]) } else { Rgba([0, 0, 0, 0]) }
    })
}

/// Whether the pixels around `(x, y)` (a gap centre) are all ink across the line, i.e. the
/// gap is bridged.
pub fn bridged(image: &DynamicImage, (x, y): (u32, u32), horizontal_line: bool) -> bool {
    let rgba = image.to_rgba8();
    let dark = |x: u32, y: u32| {
        let p = rgba.get_pixel(x, y).0;
        p[3] > 128 && p[0].min(p[1]).min(p[2]) < 128
    };
    // Some ink crosses the gap: along the line direction every column/row has ink nearby.
    (-3i32..=3).all(|t| {
        (-3i32..=3).any(|s| {
            let (px, py) = if horizontal_line { (x as i32 + t, y as i32 + s) } else { (x as i32 + s, y as i32 + t) };
            dark(px as u32, py as u32)
        })
    })
}

pub fn png_bytes(image: &DynamicImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}
