//! What a file says about its pixels besides their values: the colour profile and the print
//! resolution. Both are read when decoding and written into every output they describe, so a
//! closed frame opens like its original: colour-managed programs show the same colours, and
//! Clip Studio Paint and Photoshop, which scale an imported layer by its resolution and print
//! by it, place and print it at the original's size.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    /// The embedded ICC profile.
    pub icc_profile: Option<Vec<u8>>,
    pub resolution: Option<Resolution>,
}

impl Metadata {
    /// The profile, where it describes `image`'s colours: a grey profile for a grey image, an
    /// RGB one for a colour image (ICC header bytes 16..20). A grey input's RGBA layer, or a
    /// CMYK JPEG whose pixels the decoder turned into RGB, would be misread under it.
    pub fn icc_profile_for(&self, image: &DynamicImage) -> Option<&[u8]> {
        let space: &[u8] = if image.color().has_color() { b"RGB " } else { b"GRAY" };
        self.icc_profile.as_deref().filter(|profile| profile.get(16..20) == Some(space))
    }
}

/// Pixels per metre along x and y, the unit PNG stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub x: u32,
    pub y: u32,
}

impl Resolution {
    fn per_metre(x: f64, y: f64) -> Option<Self> {
        let valid = |v: f64| v.is_finite() && v >= 1.0 && v <= u32::MAX as f64;
        (valid(x) && valid(y)).then(|| Self { x: x.round() as u32, y: y.round() as u32 })
    }

    fn per_inch(x: f64, y: f64) -> Option<Self> {
        const METRES_PER_INCH: f64 = 0.0254;
        Self::per_metre(x / METRES_PER_INCH, y / METRES_PER_INCH)
    }

    fn per_centimetre(x: f64, y: f64) -> Option<Self> {
        Self::per_metre(x * 100.0, y * 100.0)
    }

    /// As PNG's `pHYs` chunk holds it.
    pub fn png_pixel_dims(self) -> png::PixelDimensions {
        png::PixelDimensions { xppu: self.x, yppu: self.y, unit: png::Unit::Meter }
    }

    /// The resolution of the image turned a quarter: x and y swap.
    pub fn transposed(self) -> Self {
        Self { x: self.y, y: self.x }
    }
}

/// The resolution `bytes` of `format` declare, where the format holds one and the file sets it.
pub fn read_resolution(bytes: &[u8], format: ImageFormat) -> Option<Resolution> {
    match format {
        ImageFormat::Png => png_resolution(bytes),
        ImageFormat::Jpeg => jfif_resolution(bytes),
        ImageFormat::Tiff => tiff_resolution(bytes),
        ImageFormat::Bmp => bmp_resolution(bytes),
        _ => None,
    }
}

/// The `pHYs` chunk, when its unit is the metre (otherwise it gives only the pixels' aspect).
fn png_resolution(bytes: &[u8]) -> Option<Resolution> {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
    let dims = reader.info().pixel_dims?;
    (dims.unit == png::Unit::Meter).then_some(())?;
    Resolution::per_metre(dims.xppu as f64, dims.yppu as f64)
}

/// The JFIF header right after the start marker: units (1 = per inch, 2 = per centimetre, 0 =
/// aspect only), then the x and y density, big-endian.
fn jfif_resolution(bytes: &[u8]) -> Option<Resolution> {
    let header = bytes.get(..18)?;
    if header[..4] != [0xFF, 0xD8, 0xFF, 0xE0] || &header[6..11] != b"JFIF\0" {
        return None;
    }
    let x = u16::from_be_bytes([header[14], header[15]]) as f64;
    let y = u16::from_be_bytes([header[16], header[17]]) as f64;
    match header[13] {
        1 => Resolution::per_inch(x, y),
        2 => Resolution::per_centimetre(x, y),
        _ => None,
    }
}

/// The first image's XResolution and YResolution, in its ResolutionUnit (inch by default).
fn tiff_resolution(bytes: &[u8]) -> Option<Resolution> {
    use tiff::decoder::{Decoder, ifd::Value};
    use tiff::tags::Tag;
    let mut decoder = Decoder::new(Cursor::new(bytes)).ok()?;
    let mut rational = |tag| match decoder.find_tag(tag).ok()?? {
        Value::Rational(n, d) if d > 0 => Some(n as f64 / d as f64),
        _ => None,
    };
    let (x, y) = (rational(Tag::XResolution)?, rational(Tag::YResolution)?);
    let unit = decoder.find_tag(Tag::ResolutionUnit).ok().flatten().and_then(|v| v.into_u16().ok());
    match unit.unwrap_or(2) {
        2 => Resolution::per_inch(x, y),
        3 => Resolution::per_centimetre(x, y),
        _ => None,
    }
}

/// The info header's pixels per metre (offsets 38 and 42, little-endian; 0 = not set).
fn bmp_resolution(bytes: &[u8]) -> Option<Resolution> {
    let header_size = u32::from_le_bytes(bytes.get(14..18)?.try_into().ok()?);
    if header_size < 40 {
        return None;
    }
    let read = |at: usize| Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as f64);
    Resolution::per_metre(read(38)?, read(42)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DPI_350: u32 = 13_780;

    #[test]
    fn reads_the_resolution_of_each_format_that_holds_one() {
        let image = DynamicImage::new_luma8(4, 2);
        let mut jpeg = Vec::new();
        image.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg).unwrap();
        // The encoder writes a JFIF header; set it to 350 × 175 per inch.
        assert_eq!(&jpeg[6..11], b"JFIF\0");
        jpeg[13] = 1;
        jpeg[14..18].copy_from_slice(&[1, 94, 0, 175]);
        assert_eq!(read_resolution(&jpeg, ImageFormat::Jpeg), Some(Resolution { x: DPI_350, y: 6_890 }));
        jpeg[13] = 0;
        assert_eq!(read_resolution(&jpeg, ImageFormat::Jpeg), None, "an aspect ratio is no resolution");

        let mut tiff = Vec::new();
        {
            use tiff::encoder::{Rational, TiffEncoder, colortype::Gray8};
            let mut encoder = TiffEncoder::new(Cursor::new(&mut tiff)).unwrap();
            let mut page = encoder.new_image::<Gray8>(4, 2).unwrap();
            page.resolution(tiff::tags::ResolutionUnit::Centimeter, Rational { n: 600, d: 10 });
            page.write_data(&[0; 8]).unwrap();
        }
        assert_eq!(read_resolution(&tiff, ImageFormat::Tiff), Some(Resolution { x: 6_000, y: 6_000 }));

        let mut bmp = Vec::new();
        image.write_to(&mut Cursor::new(&mut bmp), ImageFormat::Bmp).unwrap();
        bmp[38..42].copy_from_slice(&(DPI_350 as i32).to_le_bytes());
        bmp[42..46].copy_from_slice(&(DPI_350 as i32).to_le_bytes());
        assert_eq!(read_resolution(&bmp, ImageFormat::Bmp), Some(Resolution { x: DPI_350, y: DPI_350 }));
        bmp[38..46].fill(0);
        assert_eq!(read_resolution(&bmp, ImageFormat::Bmp), None, "0 means not set");

        assert_eq!(read_resolution(b"not an image", ImageFormat::Png), None);
    }
}
