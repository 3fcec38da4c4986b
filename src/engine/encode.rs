//! Encoding: PNG bytes of the closed drawing, the red-marked preview and the closures layer.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

/// The marking colour for added pixels in previews.
pub const MARK: Rgba<u8> = Rgba([255, 0, 0, 255]);

/// PNG in the image's own colour mode; float images (which PNG cannot hold) become 16-bit.
pub fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, image::ImageError> {
    let mut bytes = Vec::new();
    let converted;
    let image = match image {
        DynamicImage::ImageRgb32F(_) => {
            converted = DynamicImage::ImageRgb16(image.to_rgb16());
            &converted
        }
        DynamicImage::ImageRgba32F(_) => {
            converted = DynamicImage::ImageRgba16(image.to_rgba16());
            &converted
        }
        other => other,
    };
    image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)?;
    Ok(bytes)
}

/// The drawing with every added pixel in red, for checking closures at a glance.
pub fn marked(image: &DynamicImage, added: &[bool]) -> RgbaImage {
    let mut marked = image.to_rgba8();
    for (pixel, _) in marked.pixels_mut().zip(added).filter(|(_, a)| **a) {
        *pixel = MARK;
    }
    marked
}

/// Only the added strokes, in their colours, on transparency: a layer to put above the
/// untouched line art in a paint program.
pub fn closures_layer(closed: &DynamicImage, added: &[bool]) -> DynamicImage {
    let mut layer = closed.to_rgba16();
    for (pixel, &is_added) in layer.pixels_mut().zip(added) {
        if is_added {
            pixel.0[3] = u16::MAX;
        } else {
            *pixel = image::Rgba([0, 0, 0, 0]);
        }
    }
    match closed.color().bits_per_pixel() / closed.color().channel_count() as u16 {
        8 => DynamicImage::ImageRgba8(DynamicImage::ImageRgba16(layer).to_rgba8()),
        _ => DynamicImage::ImageRgba16(layer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn layer_holds_only_added_pixels_opaque() {
        let closed = DynamicImage::ImageLuma8(GrayImage::from_fn(3, 1, |x, _| Luma([x as u8 * 40])));
        let layer = closures_layer(&closed, &[false, true, false]).to_rgba8();
        assert_eq!(layer.get_pixel(0, 0).0, [0, 0, 0, 0]);
        assert_eq!(layer.get_pixel(1, 0).0, [40, 40, 40, 255]);
        assert!(matches!(closures_layer(&closed, &[false; 3]), DynamicImage::ImageRgba8(_)));
    }

    #[test]
    fn png_round_trips_colour_mode() {
        let image = DynamicImage::ImageLuma16(image::ImageBuffer::from_pixel(2, 2, Luma([1234u16])));
        let back = image::load_from_memory(&encode_png(&image).unwrap()).unwrap();
        assert_eq!(back, image);
    }
}
