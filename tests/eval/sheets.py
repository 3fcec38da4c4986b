"""Shared by the Python that the data scripts in this folder run: drawing an SVG as darkness
over white paper, placing and spacing the drawings on a sheet, the pens of the thin-line sheets,
and writing the tables (MANIFEST.tsv, rejected.tsv) saved beside a set."""
import io
import subprocess

from PIL import Image, ImageChops


def render_svg(svg_bytes, size):
    """`svg_bytes` drawn size x size px by rsvg-convert; darkness is the darkest channel, so
    coloured strokes count as ink."""
    png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size)],
                         input=svg_bytes, stdout=subprocess.PIPE, check=True).stdout
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
    r, g, b = im.convert("RGB").split()
    return ImageChops.darker(ImageChops.darker(r, g), b)


def draw_anywhere(sheet, im, rng):
    """Draws `im` (white paper) over `sheet` at a place `rng` picks, at most a quarter of it off
    each edge, so that drawings overlap and run off the sheet. Returns the place (x, y)."""
    iw, ih = im.size
    x, y = rng.randint(-iw // 4, sheet.width - 3 * iw // 4), rng.randint(-ih // 4, sheet.height - 3 * ih // 4)
    region = sheet.crop((x, y, x + iw, y + ih))
    sheet.paste(ImageChops.darker(region, im), (x, y))
    return x, y


def pen_style(sheet, rng):
    """The sheet (white paper) redrawn by the pen `rng` picks: a quarter aliased (thresholded at
    half darkness, like exports without anti-aliasing), three in ten grey (darkness x 0.6-0.9).
    Returns the sheet and the pen's name for the manifest."""
    style = "aa"
    if rng.random() < 0.25:
        sheet = sheet.point(lambda v: 0 if v < 128 else 255)
        style = "aliased"
    if rng.random() < 0.3:
        level = rng.uniform(0.6, 0.9)
        sheet = sheet.point(lambda v: round(255 - (255 - v) * level))
        style += f",grey{level:.2f}"
    return sheet, style


def boxes_overlap(a, b, gap):
    """Whether boxes `a` and `b` (left, top, right, bottom) come closer than `gap` px."""
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1])


def write_tsv(path, header, rows):
    """A tab-separated table: the header's columns, then one line per row."""
    with open(path, "w") as fh:
        fh.write(header + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
