//! Decoding: any supported image becomes a [`Drawing`]: the untouched original plus the ink
//! darkness plane the model sees.

use std::io::Cursor;
use std::sync::OnceLock;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::composite::INK_LEVEL;
use super::levels::{FAINT_LEVEL, Levels};
use super::links::{EndGeometry, end_geometry};
use super::metadata::{Metadata, Resolution, read_resolution};

/// Larger sides are refused before any pixel is allocated (16K covers every studio format).
pub const MAX_SIDE: u32 = 16_384;
/// Decoder allocation cap, so a forged header cannot exhaust memory.
const MAX_DECODE_BYTES: u64 = 2 << 30;
/// A drawing's lines are too faint when it has more than this many faint pixels per ink pixel.
/// Line art has at most about one (the anti-aliased fringe of hairlines; the dev set's lowest
/// is 0.9 ink pixels per faint one), an unlevelled pencil scan far more.
const MAX_FAINT_PER_INK: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("not an image in a supported format ({READABLE_FORMATS})")]
    UnknownFormat,
    #[error("a {0} image, which is not supported: save it as one of {READABLE_FORMATS}")]
    UnsupportedFormat(String),
    #[error("the image is {width}×{height}; the largest side supported is {MAX_SIDE} px")]
    TooLarge { width: u32, height: u32 },
    #[error("the image is {width}×{height}: it has no pixels")]
    NoPixels { width: u32, height: u32 },
    #[error("corrupt or truncated image: {0}")]
    Corrupt(String),
}

/// A line drawing ready for the engine.
pub struct Drawing {
    /// The decoded original, in its own colour mode; the output starts as a copy of it.
    pub image: DynamicImage,
    /// The file's colour profile and resolution, for the outputs.
    pub metadata: Metadata,
    /// Per pixel, how dark it is once composited over white paper, 0 = paper, 255 = ink.
    /// Colour counts fully: a saturated red or blue line is as dark as black. The darkness of
    /// a drawing on toned paper or in pencil is levelled ([`Drawing::levels`]).
    pub darkness: Vec<u8>,
    /// How the darkness was levelled ([`Levels`]): toned or unevenly lit paper to white, and
    /// lines that are all lighter than the ink level (a pencil sketch) to black; `None` for
    /// inked lines on white paper.
    pub levels: Option<Levels>,
    /// The ink mask ([`Drawing::ink`]), made on first use and kept.
    ink: OnceLock<Vec<bool>>,
    /// What the ink's stroke ends say ([`end_geometry`]), made by the first composite and
    /// kept: it depends on the drawing alone, so moving the sensitivity slider does not redo it.
    ends: OnceLock<EndGeometry>,
}

impl Drawing {
    pub fn width(&self) -> usize {
        self.image.width() as usize
    }

    pub fn height(&self) -> usize {
        self.image.height() as usize
    }

    pub fn from_image(image: DynamicImage) -> Self {
        let darkness = raw_darkness(&image);
        let levels = Levels::of(&darkness, image.width() as usize);
        let darkness = Levels::apply_all(levels, darkness, image.width() as usize);
        Self { image, darkness, levels, metadata: Metadata::default(), ink: OnceLock::new(), ends: OnceLock::new() }
    }

    /// The darkness of `image` (this drawing, closed or not) as this drawing's levels read it,
    /// so that both are measured alike.
    pub fn darkness_of(&self, image: &DynamicImage) -> Vec<u8> {
        Levels::apply_all(self.levels, raw_darkness(image), image.width() as usize)
    }

    /// What the CLI and the app tell the user when the drawing's lines were levelled to count
    /// as ink (levelling its paper changes nothing they see).
    pub fn levels_note(&self) -> Option<String> {
        self.levels.filter(|levels| levels.line < u8::MAX).map(|levels| {
            let percent = |d: u8| (f32::from(d) / 2.55).round();
            format!(
                "its lines are lighter than 50 % grey (the darkest at {} %), so they were levelled to count as ink: \
                 closures take their tone",
                percent(levels.line)
            )
        })
    }

    /// Why few gaps will close when the drawing's lines are mostly lighter than the ink level,
    /// which counts as paper, though some are inked (so it was not levelled), so the CLI and the
    /// app can say so instead of silently adding nothing.
    pub fn faint_lines_warning(&self) -> Option<&'static str> {
        let ink = self.ink().iter().filter(|&&is_ink| is_ink).count();
        let faint = self.darkness.iter().filter(|&&d| (FAINT_LEVEL..INK_LEVEL).contains(&d)).count();
        (faint > MAX_FAINT_PER_INK * ink).then_some(
            "its lines are mostly lighter than 50 % grey, which counts as paper, so few gaps can close: darken or level the scan first",
        )
    }

    /// One flag per pixel: the original ink, which a closure never touches: darkness at least
    /// [`INK_LEVEL`] once levelled, that is at least halfway from the paper's tone to black.
    pub fn ink(&self) -> &[bool] {
        self.ink.get_or_init(|| self.darkness.iter().map(|&d| d >= INK_LEVEL).collect())
    }

    /// The links between the original ink's stroke ends, and where those ends lie.
    pub(super) fn ends(&self) -> &EndGeometry {
        self.ends.get_or_init(|| end_geometry(self.ink(), self.width(), self.height()))
    }
}

fn raw_darkness(image: &DynamicImage) -> Vec<u8> {
    image.to_rgba8().pixels().map(|p| pixel_darkness(p.0)).collect()
}

/// Darkness over white: `alpha × (1 − min channel)`. The minimum channel makes coloured lines
/// (red shadow, blue highlight lines) count as ink, where luminance would call them mid-grey.
pub fn pixel_darkness([r, g, b, a]: [u8; 4]) -> u8 {
    let lightest = r.min(g).min(b);
    ((255 - lightest) as u32 * a as u32 / 255) as u8
}

/// The formats [`decode`] reads, as the CLI and the app name them to the user.
pub const READABLE_FORMATS: &str = "PNG, JPEG, WebP, TIFF, BMP, TGA";
/// File extensions of the formats [`decode`] reads, for picking drawings out of a directory.
pub const IMAGE_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp", "tga"];

pub fn has_image_extension(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

pub fn decode(bytes: &[u8]) -> Result<Drawing, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let reader = reader_for(bytes)?;
    match reader.format() {
        None => return Err(DecodeError::UnknownFormat),
        Some(format) if !format.reading_enabled() => {
            let name = format.extensions_str().first().map_or_else(|| format!("{format:?}"), |e| e.to_uppercase());
            return Err(DecodeError::UnsupportedFormat(name));
        }
        Some(_) => {}
    }
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DecodeError::TooLarge { width, height });
    }
    if width == 0 || height == 0 {
        return Err(DecodeError::NoPixels { width, height });
    }
    let mut reader = reader_for(bytes)?;
    let resolution = reader.format().and_then(|format| read_resolution(bytes, format));
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let corrupt = |e: image::ImageError| DecodeError::Corrupt(e.to_string());
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    // Phone photos of sketches are stored sideways with an EXIF turn that every viewer applies;
    // applying it here too keeps the output the way the artist sees the input. Unreadable
    // metadata must not cost the pixels, so it counts as no turn.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc_profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    let turned = matches!(orientation, Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH);
    let resolution = if turned { resolution.map(Resolution::transposed) } else { resolution };
    Ok(Drawing { metadata: Metadata { icc_profile, resolution }, ..Drawing::from_image(image) })
}

/// A reader for `bytes` in the format their content shows. TGA, which anime paint programs
/// such as RETAS PaintMan save, has no signature, so a header only a TGA file would have
/// stands for one.
fn reader_for(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, DecodeError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    if reader.format().is_none() && looks_like_tga(bytes) {
        reader.set_format(ImageFormat::Tga);
    }
    Ok(reader)
}

/// Whether the 18-byte header is a TGA image's: an image type (colour-mapped, true colour or
/// grey, plain or run-length), a colour map where the type needs one, a pixel depth TGA allows,
/// a size, and no interleaving.
fn looks_like_tga(bytes: &[u8]) -> bool {
    let Some(header) = bytes.get(..18) else { return false };
    let (has_colour_map, image_type, depth) = (header[1], header[2], header[16]);
    let colour_mapped = matches!(image_type, 1 | 9);
    let width = u16::from_le_bytes([header[12], header[13]]);
    let height = u16::from_le_bytes([header[14], header[15]]);
    matches!(image_type, 1 | 2 | 3 | 9 | 10 | 11)
        && (has_colour_map == 1 || (has_colour_map == 0 && !colour_mapped))
        && matches!(depth, 8 | 15 | 16 | 24 | 32)
        && width > 0
        && height > 0
        && header[17] & 0xC0 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::levels::Paper;
    use image::{ImageFormat, Rgba, RgbaImage};

    fn png(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn coloured_and_transparent_lines_count_as_ink() {
        assert_eq!(pixel_darkness([255, 0, 0, 255]), 255);
        assert_eq!(pixel_darkness([0, 0, 255, 255]), 255);
        assert_eq!(pixel_darkness([0, 0, 0, 0]), 0, "transparent is paper");
        assert_eq!(pixel_darkness([255, 255, 255, 255]), 0);
        assert_eq!(pixel_darkness([0, 0, 0, 128]), 128);
    }

    #[test]
    fn decodes_sixteen_bit_grey_and_rgba() {
        let grey = DynamicImage::ImageLuma16(image::ImageBuffer::from_fn(3, 2, |x, _| image::Luma([x as u16 * 30000])));
        let drawing = decode(&png(grey)).unwrap();
        assert_eq!(drawing.darkness, vec![255, 138, 22, 255, 138, 22]);
        assert!(matches!(drawing.image, DynamicImage::ImageLuma16(_)));

        let layer = RgbaImage::from_fn(2, 1, |x, _| if x == 0 { Rgba([0, 0, 0, 255]) } else { Rgba([0, 0, 0, 0]) });
        let drawing = decode(&png(DynamicImage::ImageRgba8(layer))).unwrap();
        assert_eq!(drawing.darkness, vec![255, 0]);
    }

    #[test]
    fn turns_the_image_upright_as_its_exif_orientation_says() {
        // A big-endian TIFF header and one IFD entry: Orientation (0x0112), SHORT, 6 = the
        // stored pixels are shown turned 90° clockwise, as phones store portrait photos.
        let exif = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
        let stored = Metadata { icc_profile: None, resolution: Some(Resolution { x: 6_000, y: 3_000 }) };
        // Stored 2×1, ink then paper: shown 1×2, ink on top, with the resolution turned too.
        let bytes = crate::engine::encode::tests::png_with(&[0, 255], 2, png::ColorType::Grayscale, &stored, Some(exif));
        let drawing = decode(&bytes).unwrap();
        assert_eq!((drawing.width(), drawing.height()), (1, 2));
        assert_eq!(drawing.darkness, vec![255, 0]);
        assert_eq!(drawing.metadata.resolution, Some(Resolution { x: 3_000, y: 6_000 }));
    }

    #[test]
    fn reads_tga_which_has_no_signature() {
        use image::ImageEncoder;
        let grey = [0u8, 40, 255, 255, 90, 0];
        let rgba = [255u8, 0, 0, 255, 0, 0, 0, 0];
        for (pixels, (width, height), colour, darkness) in [
            (&grey[..], (3, 2), image::ExtendedColorType::L8, vec![255, 215, 0, 0, 165, 255]),
            (&rgba[..], (2, 1), image::ExtendedColorType::Rgba8, vec![255, 0]),
        ] {
            let mut bytes = Vec::new();
            image::codecs::tga::TgaEncoder::new(&mut bytes).write_image(pixels, width, height, colour).unwrap();
            let drawing = decode(&bytes).unwrap();
            assert_eq!(drawing.darkness, darkness, "{colour:?}");
        }
    }

    /// A 40×20 drawing of 3 px lines with a 1 px anti-aliased fringe each side, one per
    /// `(core, fringe)` darkness, on paper of darkness `paper`.
    fn lines(paper: u8, lines: &[(u8, u8)]) -> Drawing {
        let image = image::GrayImage::from_fn(40, 20, |_, y| {
            let (line, row) = ((y / 5) as usize, y % 5);
            let darkness = match lines.get(line) {
                Some(&(core, _)) if (1..=3).contains(&row) => core,
                Some(&(_, fringe)) if row == 0 || row == 4 => fringe,
                _ => paper,
            };
            image::Luma([255 - darkness])
        });
        Drawing::from_image(DynamicImage::ImageLuma8(image))
    }

    /// The first line's core and fringe, and the paper below it, as the engine reads them.
    fn core_fringe_paper(drawing: &Drawing) -> (u8, u8, u8) {
        (drawing.darkness[2 * 40], drawing.darkness[0], drawing.darkness[10 * 40])
    }

    #[test]
    fn levels_a_pencil_drawing_so_that_its_lines_count_as_ink() {
        let pencil = lines(10, &[(110, 60)]);
        assert_eq!(pencil.levels, Some(Levels { paper: Paper::even(10), line: 104 }));
        assert_eq!(core_fringe_paper(&pencil), (255, 127, 0));
        assert!(pencil.ink()[2 * 40] && !pencil.ink()[0], "the core counts as ink");
        assert_eq!(pencil.faint_lines_warning(), None);
        assert!(pencil.levels_note().unwrap().contains("darkest at 41 %"));
        // Its closed image is read with the same levels: the pencil's pixels come out alike.
        assert_eq!(pencil.darkness_of(&pencil.image), pencil.darkness);

        for (inked, what) in [
            (lines(0, &[(255, 100)]), "an inked line"),
            (lines(0, &[(255, 100), (110, 60), (110, 60), (110, 60)]), "ink among pencil lines"),
            (Drawing::from_image(DynamicImage::new_luma8(8, 8)), "an all-black frame"),
            (Drawing::from_image(DynamicImage::ImageLuma8(image::GrayImage::from_pixel(8, 8, image::Luma([255])))), "blank paper"),
        ] {
            assert_eq!(inked.levels, None, "{what}");
            assert_eq!(inked.darkness, raw_darkness(&inked.image), "{what}");
        }
        let mut dust = image::GrayImage::from_pixel(100, 100, image::Luma([255]));
        dust.put_pixel(50, 50, image::Luma([150]));
        assert_eq!(Drawing::from_image(DynamicImage::ImageLuma8(dust)).levels, None, "a speck is not a drawing");
        assert_eq!(lines(8, &[(255, 100)]).levels, None, "paper as white as the network's");
    }

    #[test]
    fn levels_toned_paper_to_white() {
        // An inked line on cream scan paper (darkness 50 in its blue).
        let scan = lines(50, &[(255, 150)]);
        assert_eq!(scan.levels, Some(Levels { paper: Paper::even(50), line: 255 }));
        assert_eq!(core_fringe_paper(&scan), (255, 124, 0));
        // Ink is at least halfway from the paper to black: the core, not the fringe.
        assert!(scan.ink()[2 * 40] && !scan.ink()[0] && !scan.ink()[10 * 40]);
        assert_eq!(scan.levels_note(), None, "nothing the user sees changes");
        assert_eq!(scan.faint_lines_warning(), None, "toned paper is not faint line");
        // On the same paper in pencil, the lines are levelled too: 120 on paper of 50 is 87
        // once the paper is white.
        assert_eq!(lines(50, &[(120, 80)]).levels, Some(Levels { paper: Paper::even(50), line: 87 }));
    }

    #[test]
    fn warns_of_pencil_lines_beside_inked_ones() {
        // One inked line among fifteen pencil ones: not levelled, since some lines are inked,
        // and most lines count as paper.
        let image = image::GrayImage::from_fn(40, 64, |_, y| image::Luma([match (y / 4, y % 4) {
            (0, 1 | 2) => 0,
            (_, 1 | 2) => 160,
            _ => 255,
        }]));
        let mixed = Drawing::from_image(DynamicImage::ImageLuma8(image));
        assert_eq!(mixed.levels, None);
        assert!(mixed.faint_lines_warning().is_some());
        assert_eq!(lines(0, &[(255, 100)]).faint_lines_warning(), None);
    }

    #[test]
    fn rejects_bad_input_with_reasons() {
        assert!(matches!(decode(&[]), Err(DecodeError::Empty)));
        assert!(matches!(decode(b"hello, not an image"), Err(DecodeError::UnknownFormat)));
        let gif = decode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").err().map(|e| e.to_string());
        assert_eq!(gif.as_deref(), Some("a GIF image, which is not supported: save it as one of PNG, JPEG, WebP, TIFF, BMP, TGA"));
        let bytes = png(DynamicImage::new_luma8(64, 64));
        assert!(matches!(decode(&bytes[..bytes.len() / 2]), Err(DecodeError::Corrupt(_))));
    }
}
