//! Encoding: PNG bytes of the closed drawing, the red-marked preview and the closures layer.

use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder, Rgba, RgbaImage};

/// The marking colour for added pixels in previews.
pub const MARK: Rgba<u8> = Rgba([255, 0, 0, 255]);

/// PNG in the image's own colour mode; float images (which PNG cannot hold) become 16-bit.
/// The colour profile is embedded where it describes the PNG's colours ([`profile_fits`]).
pub fn encode_png(image: &DynamicImage, icc_profile: Option<&[u8]>) -> Result<Vec<u8>, image::ImageError> {
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
    let mut encoder = PngEncoder::new(&mut bytes);
    if let Some(profile) = icc_profile.filter(|p| profile_fits(p, image)) {
        encoder.set_icc_profile(profile.to_vec()).map_err(image::ImageError::Unsupported)?;
    }
    image.write_with_encoder(encoder)?;
    Ok(bytes)
}

/// Whether an ICC profile's colour space (header bytes 16..20) is the PNG's: grey for a grey
/// image, RGB for a colour one. A grey input's RGBA layer, or a CMYK JPEG whose pixels the
/// decoder turned into RGB, would be misread under its original profile, so it is left out.
fn profile_fits(profile: &[u8], image: &DynamicImage) -> bool {
    let space: &[u8] = if image.color().has_color() { b"RGB " } else { b"GRAY" };
    profile.get(16..20) == Some(space)
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
        let back = image::load_from_memory(&encode_png(&image, None).unwrap()).unwrap();
        assert_eq!(back, image);
    }

    #[test]
    fn colour_profile_travels_from_input_to_outputs_that_it_describes() {
        use image::ImageDecoder;
        let profile_of = |png: &[u8]| {
            let mut decoder = image::codecs::png::PngDecoder::new(std::io::Cursor::new(png)).unwrap();
            decoder.icc_profile().unwrap()
        };
        // An ICC header (the decoder and encoder carry the bytes, they do not interpret them)
        // for a grey display profile, like Photoshop's "Dot Gain 20%".
        let mut grey_profile = vec![0u8; 132];
        grey_profile[..4].copy_from_slice(&132u32.to_be_bytes());
        grey_profile[12..24].copy_from_slice(b"mntrGRAYXYZ ");
        grey_profile[36..40].copy_from_slice(b"acsp");
        let mut input = Vec::new();
        let mut encoder = PngEncoder::new(&mut input);
        encoder.set_icc_profile(grey_profile.clone()).unwrap();
        encoder.write_image(&[0, 128, 255], 3, 1, image::ExtendedColorType::L8).unwrap();

        let drawing = crate::engine::decode(&input).unwrap();
        assert_eq!(drawing.icc_profile.as_ref(), Some(&grey_profile));
        let profile = drawing.icc_profile.as_deref();
        assert_eq!(profile_of(&encode_png(&drawing.image, profile).unwrap()), Some(grey_profile));
        let layer = closures_layer(&drawing.image, &[false, true, false]);
        assert_eq!(profile_of(&encode_png(&layer, profile).unwrap()), None, "a grey profile on an RGBA layer");
    }
}
