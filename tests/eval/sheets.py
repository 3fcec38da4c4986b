"""Shared by the Python that the data scripts in this folder run: drawing an SVG as darkness
over white paper, placing and spacing the drawings on a sheet, the pens of the thin-line sheets,
and writing a set's sheets with the tables (MANIFEST.tsv, rejected.tsv) saved beside it."""
import io
import os
import subprocess
import sys

from PIL import Image, ImageChops, ImageOps


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


def write_sheets(stage, prefix, n_sheets, draw, header):
    """Writes `n_sheets` sheets into `stage` (prefix_0000.png, ...) and their MANIFEST.tsv under
    `header`; `draw()` returns each finished sheet and its manifest columns after the file
    name. Returns the manifest's rows."""
    rows = []
    for i in range(n_sheets):
        sheet, columns = draw()
        name = f"{prefix}_{i:04d}.png"
        sheet.save(os.path.join(stage, name))
        rows.append((name, *columns))
        if (i + 1) % 50 == 0:
            print(f"  {i + 1}/{n_sheets} sheets", file=sys.stderr)
    write_tsv(os.path.join(stage, "MANIFEST.tsv"), header, rows)
    return rows


def counted(sheet, placed):
    """A finished sheet for [`write_sheets`], with how many drawings it holds and their manifest
    entries as its columns."""
    return sheet, (str(len(placed)), " ".join(placed))


def write_icon_sheets(stage, prefix, n_sheets, size, pick, rng, gap):
    """[`write_sheets`] of sheets filled by [`fill_with_icons`]."""
    def draw():
        sheet = Image.new("L", (size, size), 255)
        return counted(sheet, fill_with_icons(sheet, pick, rng, gap))
    rows = write_sheets(stage, prefix, n_sheets, draw, "file\ticons\ticon@size,stroke px[,flip],x,y ...")
    counts = [int(r[1]) for r in rows]
    print(f"icons per sheet: min {min(counts)} mean {sum(counts)/len(counts):.1f} max {max(counts)}",
          file=sys.stderr)


def fill_with_icons(sheet, pick, rng, gap):
    """Draws 6-12 icons over `sheet` (white paper), `gap` px apart, some mirrored: `pick(rng)`
    gives (label, size px, build), where build(size) -> (svg, stroke px). An icon that finds
    no room is tried smaller; one whose strokes would be thinner than 1.2 px is skipped.
    Returns the manifest entries, "label@size px,w stroke[,flip],x,y"."""
    boxes, placed = [], []
    want = rng.randint(6, 12)
    attempts = 0
    while len(placed) < want and attempts < want * 4:
        attempts += 1
        label, size, build = pick(rng)
        flip = rng.random() < 0.3
        for shrink in range(4):
            s = max(48, round(size * 0.8 ** shrink))
            svg, stroke = build(s)
            if stroke < 1.2:
                break
            im = render_svg(svg, s)
            if flip:
                im = ImageOps.mirror(im)
            im = ink_only(im)
            if im is None:
                break
            if im.width > sheet.width - 8 or im.height > sheet.height - 8:
                continue
            box = place_apart(sheet, im, boxes, gap, rng)
            if box:
                placed.append(f"{label}@{s}px,w{stroke:.1f}{',flip' if flip else ''},{box[0]},{box[1]}")
                break
    return placed


def ink_only(im):
    """`im` (white paper) cropped to its ink, darkness over 8 of 255; None when it has none."""
    bb = ImageOps.invert(im).point(lambda v: 255 if v > 8 else 0).getbbox()
    return im.crop(bb) if bb else None


def place_apart(sheet, im, boxes, gap, rng):
    """Draws `im` over `sheet` at the first of 60 random places, 4 px inside its edges, that
    keeps `gap` px from every box in `boxes`, and adds its box to them. Returns the box (left,
    top, right, bottom), or None when none of the places was free."""
    iw, ih = im.size
    for _ in range(60):
        x, y = rng.randint(4, sheet.width - 4 - iw), rng.randint(4, sheet.height - 4 - ih)
        box = (x, y, x + iw, y + ih)
        if not any(boxes_overlap(box, b, gap) for b in boxes):
            sheet.paste(ImageChops.darker(sheet.crop(box), im), box[:2])
            boxes.append(box)
            return box
    return None


def boxes_overlap(a, b, gap):
    """Whether boxes `a` and `b` (left, top, right, bottom) come closer than `gap` px."""
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1])


def write_tsv(path, header, rows):
    """A tab-separated table: the header's columns, then one line per row."""
    with open(path, "w") as fh:
        fh.write(header + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
