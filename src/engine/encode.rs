//! Encoding: PNG bytes of the closed drawing, the red-marked preview and the closures layer.

use std::borrow::Cow;

use image::{DynamicImage, Rgba, RgbaImage};

use super::metadata::{Metadata, Resolution};

/// The marking colour for added pixels in previews.
pub const MARK: Rgba<u8> = Rgba([255, 0, 0, 255]);

/// PNG in the image's own colour mode (float images, which PNG cannot hold, become 16-bit),
/// with the input file's resolution and, where it describes these colours, its profile.
pub fn encode_png(image: &DynamicImage, metadata: &Metadata) -> Result<Vec<u8>, png::EncodingError> {
    use png::{BitDepth::*, ColorType::*};
    let (colour, depth, samples): (_, _, Cow<[u8]>) = match image {
        DynamicImage::ImageLuma8(i) => (Grayscale, Eight, Cow::Borrowed(i.as_raw())),
        DynamicImage::ImageLumaA8(i) => (GrayscaleAlpha, Eight, Cow::Borrowed(i.as_raw())),
        DynamicImage::ImageRgb8(i) => (Rgb, Eight, Cow::Borrowed(i.as_raw())),
        DynamicImage::ImageRgba8(i) => (Rgba, Eight, Cow::Borrowed(i.as_raw())),
        DynamicImage::ImageLuma16(i) => (Grayscale, Sixteen, big_endian(i.as_raw())),
        DynamicImage::ImageLumaA16(i) => (GrayscaleAlpha, Sixteen, big_endian(i.as_raw())),
        DynamicImage::ImageRgb16(i) => (Rgb, Sixteen, big_endian(i.as_raw())),
        DynamicImage::ImageRgba16(i) => (Rgba, Sixteen, big_endian(i.as_raw())),
        DynamicImage::ImageRgb32F(_) => return encode_png(&DynamicImage::ImageRgb16(image.to_rgb16()), metadata),
        _ => return encode_png(&DynamicImage::ImageRgba16(image.to_rgba16()), metadata),
    };
    let mut info = png::Info::with_size(image.width(), image.height());
    info.color_type = colour;
    info.bit_depth = depth;
    info.icc_profile = metadata.icc_profile_for(image).map(Cow::Borrowed);
    info.pixel_dims = metadata.resolution.map(Resolution::png_pixel_dims);
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::with_info(&mut bytes, info)?;
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Adaptive);
    encoder.write_header()?.write_image_data(&samples)?;
    Ok(bytes)
}

/// PNG stores 16-bit samples most significant byte first.
fn big_endian(samples: &[u16]) -> Cow<'static, [u8]> {
    Cow::Owned(samples.iter().flat_map(|s| s.to_be_bytes()).collect())
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
pub(crate) mod tests {
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
    fn png_round_trips_every_colour_mode() {
        let grey = GrayImage::from_fn(3, 2, |x, y| Luma([(x * 80 + y * 7) as u8]));
        let grey = DynamicImage::ImageLuma8(grey);
        for image in [
            grey.clone(),
            DynamicImage::ImageLumaA8(grey.to_luma_alpha8()),
            DynamicImage::ImageRgb8(grey.to_rgb8()),
            DynamicImage::ImageRgba8(grey.to_rgba8()),
            DynamicImage::ImageLuma16(image::ImageBuffer::from_fn(3, 2, |x, y| Luma([1234 + 20_000 * x as u16 + y as u16]))),
            DynamicImage::ImageLumaA16(grey.to_luma_alpha16()),
            DynamicImage::ImageRgb16(grey.to_rgb16()),
            DynamicImage::ImageRgba16(grey.to_rgba16()),
        ] {
            let back = image::load_from_memory(&encode_png(&image, &Metadata::default()).unwrap()).unwrap();
            assert_eq!(back, image, "{:?}", image.color());
        }
        let float = DynamicImage::ImageRgb32F(grey.to_rgb32f());
        let back = image::load_from_memory(&encode_png(&float, &Metadata::default()).unwrap()).unwrap();
        assert_eq!(back, DynamicImage::ImageRgb16(grey.to_rgb16()));
    }

    /// A PNG with a colour profile and a resolution, written as a paint program would.
    pub(crate) fn png_with(pixels: &[u8], width: u32, colour: png::ColorType, metadata: &Metadata, exif: Option<&[u8]>) -> Vec<u8> {
        let samples = match colour {
            png::ColorType::Grayscale => 1,
            png::ColorType::Rgba => 4,
            other => panic!("no test writes {other:?}"),
        };
        let mut info = png::Info::with_size(width, (pixels.len() / samples) as u32 / width);
        info.color_type = colour;
        info.icc_profile = metadata.icc_profile.as_deref().map(Cow::Borrowed);
        info.pixel_dims = metadata.resolution.map(Resolution::png_pixel_dims);
        info.exif_metadata = exif.map(Cow::Borrowed);
        let mut bytes = Vec::new();
        png::Encoder::with_info(&mut bytes, info).unwrap().write_header().unwrap().write_image_data(pixels).unwrap();
        bytes
    }

    /// An ICC header (decoders and encoders carry a profile's bytes, they do not interpret
    /// them) for a grey display profile, like Photoshop's "Dot Gain 20%".
    fn grey_profile() -> Vec<u8> {
        let mut profile = vec![0u8; 132];
        profile[..4].copy_from_slice(&132u32.to_be_bytes());
        profile[12..24].copy_from_slice(b"mntrGRAYXYZ ");
        profile[36..40].copy_from_slice(b"acsp");
        profile
    }

    #[test]
    fn profile_and_resolution_travel_from_input_to_the_outputs_they_describe() {
        let metadata_of = |bytes: &[u8]| {
            let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
            let info = reader.info();
            (info.icc_profile.as_ref().map(|p| p.to_vec()), info.pixel_dims.map(|d| (d.xppu, d.yppu)))
        };
        let resolution = Resolution { x: 13_780, y: 13_780 }; // 350 per inch, as manga pages are drawn
        let input = Metadata { icc_profile: Some(grey_profile()), resolution: Some(resolution) };
        let drawing = crate::engine::decode(&png_with(&[0, 128, 255], 3, png::ColorType::Grayscale, &input, None)).unwrap();
        assert_eq!(drawing.metadata, input);

        let closed = encode_png(&drawing.image, &drawing.metadata).unwrap();
        assert_eq!(metadata_of(&closed), (Some(grey_profile()), Some((13_780, 13_780))));
        let layer = encode_png(&closures_layer(&drawing.image, &[false, true, false]), &drawing.metadata).unwrap();
        assert_eq!(metadata_of(&layer), (None, Some((13_780, 13_780))), "a grey profile does not describe an RGBA layer");
    }
}
