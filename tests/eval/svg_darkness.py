"""Renders an SVG to a grey PIL image of its darkness over white paper, for the sheet scripts
in this folder (imported by the Python they run)."""
import io
import subprocess

from PIL import Image, ImageChops


def render(svg_bytes, size):
    """`svg_bytes` drawn size x size px by rsvg-convert; darkness is the darkest channel, so
    coloured strokes count as ink."""
    png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size)],
                         input=svg_bytes, stdout=subprocess.PIPE, check=True).stdout
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
    r, g, b = im.convert("RGB").split()
    return ImageChops.darker(ImageChops.darker(r, g), b)
