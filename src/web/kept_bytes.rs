//! What the page keeps of each file, to decode it again when it is shown or exported: the
//! file itself, unless it is far larger than the drawing as a PNG (an uncompressed TIFF or BMP
//! scan, which would fill the page's memory within a few dozen pages). The PNG takes its place:
//! it decodes to the same pixels, colour profile and resolution, already turned upright.

use crate::engine::{Drawing, encode_png};

pub fn bytes_to_keep(file: Vec<u8>, drawing: &Drawing) -> Vec<u8> {
    // Compressed files are smaller than a byte per pixel: not worth the encoding time.
    if file.len() <= drawing.width() * drawing.height() {
        return file;
    }
    match encode_png(&drawing.image, &drawing.metadata) {
        Ok(png) if png.len() < file.len() / 2 => png,
        _ => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Resolution, decode};
    use std::io::Cursor;

    /// A grey frame with a few strokes, as an uncompressed TIFF at 600 dpi.
    fn uncompressed_scan() -> Vec<u8> {
        use tiff::encoder::{Rational, TiffEncoder, colortype::Gray8};
        let (width, height) = (300u32, 200u32);
        let pixels: Vec<u8> = (0..width * height).map(|i| if i % width == 40 || i / width == 120 { 0 } else { 255 }).collect();
        let mut bytes = Vec::new();
        let mut encoder = TiffEncoder::new(Cursor::new(&mut bytes)).unwrap();
        let mut page = encoder.new_image::<Gray8>(width, height).unwrap();
        page.resolution(tiff::tags::ResolutionUnit::Inch, Rational { n: 600, d: 1 });
        page.write_data(&pixels).unwrap();
        bytes
    }

    #[test]
    fn an_uncompressed_scan_is_kept_as_a_png_that_decodes_alike() {
        let scan = uncompressed_scan();
        let drawing = decode(&scan).unwrap();
        let kept = bytes_to_keep(scan.clone(), &drawing);
        assert!(kept.starts_with(b"\x89PNG") && kept.len() * 10 < scan.len(), "{} bytes kept of {}", kept.len(), scan.len());
        let again = decode(&kept).unwrap();
        assert_eq!(again.image, drawing.image);
        assert_eq!(again.metadata, drawing.metadata);
        assert_eq!(again.metadata.resolution, Some(Resolution { x: 23_622, y: 23_622 }));
    }

    #[test]
    fn a_compressed_file_is_kept_as_it_is() {
        let png = encode_png(&decode(&uncompressed_scan()).unwrap().image, &Default::default()).unwrap();
        let drawing = decode(&png).unwrap();
        assert_eq!(bytes_to_keep(png.clone(), &drawing), png);
    }
}
