"""The near-miss probe: strokes that stop short of the line they should meet, on clean paper.

The dev set cuts its junctions at random branches, and at a crossing the opposite arm still
points across the gap; a stem that stops short of its bar has nothing to follow and is the
plainest leak in colouring. This script draws two sheets, runs the CLI on them and counts how
many near-misses its output joins:

- boxes.png: 18 squares of 110 px, each split by a vertical divider that stops short of the
  top edge; rows are lines 1.5, 3 and 5 px wide, columns gaps of 3, 5, 7, 9, 11 and 13 px.
  A leak here fills both halves as one.
- tees.png: 28 Ts whose stem stops short of the bar; rows are lines 1.5, 3, 5 and 9 px wide,
  columns gaps of 2, 4, 6, 8, 10, 12 and 14 px.

Lines are drawn at 4x and shrunk with Lanczos, so they are anti-aliased. A near-miss counts
as closed when its stem is joined to the line above by ink (original or added) in the
`--mark` output. G'MIC's close_binary at its defaults closes all 46 (models/experiments.md,
"A stroke that stops short of a box's edge").

Usage: python3 tests/eval/near_miss_probe.py OUT_DIR [CLI ARGS...]
  e.g. python3 tests/eval/near_miss_probe.py /tmp/probe --weights ft.bpk --threshold 0.42
The CLI is $FILL_LINE_GAPS, or fill-line-gaps on the PATH. Needs python3 + Pillow.
"""
import os
import subprocess
import sys
from collections import deque

from PIL import Image, ImageDraw

SCALE = 4
BOX_WIDTHS, BOX_GAPS = [1.5, 3, 5], [3, 5, 7, 9, 11, 13]
TEE_WIDTHS, TEE_GAPS = [1.5, 3, 5, 9], [2, 4, 6, 8, 10, 12, 14]
BOX_PITCH, BOX_SIDE = 130, 110
TEE_CELL, TEE_BAR_Y, TEE_STEM_END = (90, 110), 20, 100


def shrunk(draw_at_scale, size):
    """Draws black on white at SCALE times `size` and shrinks it, for anti-aliased edges."""
    big = Image.new("L", (size[0] * SCALE, size[1] * SCALE), 255)
    draw_at_scale(ImageDraw.Draw(big), lambda v: round(v * SCALE))
    return big.resize(size, Image.LANCZOS)


def cells(widths, gaps, pitch, margin=0):
    """Each probe cell of a sheet: its row's line width, its column's gap and its top-left corner."""
    for row, width in enumerate(widths):
        for col, gap in enumerate(gaps):
            yield width, gap, col * pitch[0] + margin, row * pitch[1] + margin


def box_cells():
    return cells(BOX_WIDTHS, BOX_GAPS, (BOX_PITCH, BOX_PITCH), margin=10)


def tee_cells():
    return cells(TEE_WIDTHS, TEE_GAPS, TEE_CELL)


def draw_boxes(draw, s):
    for width, gap, x0, y0 in box_cells():
        x1, y1 = x0 + BOX_SIDE, y0 + BOX_SIDE
        draw.rectangle([s(x0), s(y0), s(x1), s(y1)], outline=0, width=s(width))
        # The frame's inner edge is `width` below y0; the divider stops `gap` short of it.
        xm = (x0 + x1) / 2
        draw.rectangle([s(xm - width / 2), s(y0 + width + gap), s(xm + width / 2), s(y1)], fill=0)


def draw_tees(draw, s):
    for width, gap, x0, y0 in tee_cells():
        xm = x0 + TEE_CELL[0] / 2
        bar_top, bar_bottom = y0 + TEE_BAR_Y, y0 + TEE_BAR_Y + width
        draw.rectangle([s(x0 + 10), s(bar_top), s(x0 + TEE_CELL[0] - 10), s(bar_bottom)], fill=0)
        draw.rectangle([s(xm - width / 2), s(bar_bottom + gap), s(xm + width / 2), s(y0 + TEE_STEM_END)], fill=0)


def ink_mask(path):
    """Dark pixels and the red that `--mark` paints added ink with."""
    im = Image.open(path).convert("RGB")
    w, h = im.size
    px = im.load()
    ink = [[False] * w for _ in range(h)]
    for y in range(h):
        for x in range(w):
            r, g, b = px[x, y]
            ink[y][x] = (r + g + b) / 3 < 128 or (r > 150 and g < 100 and b < 100)
    return ink


def reaches(ink, window, seed, target_y):
    """Whether ink 8-connected to `seed` inside `window` (x0, y0, x1, y1) reaches row `target_y`."""
    x0, y0, x1, y1 = window
    if not ink[seed[1]][seed[0]]:
        return False
    seen, queue = {seed}, deque([seed])
    while queue:
        x, y = queue.popleft()
        if y <= target_y:
            return True
        for ny in range(max(y - 1, y0), min(y + 2, y1)):
            for nx in range(max(x - 1, x0), min(x + 2, x1)):
                if (nx, ny) not in seen and ink[ny][nx]:
                    seen.add((nx, ny))
                    queue.append((nx, ny))
    return False


def closed_boxes(ink):
    """Per cell: the divider's upper half joined to the frame's top edge. The window stops at
    the box's middle, so the divider meets the frame only through the top."""
    half = BOX_SIDE // 2
    return [
        reaches(ink, (x0 - 3, y0 - 3, x0 + BOX_SIDE + 4, y0 + half), (x0 + half, y0 + half - 5), y0 + int(width))
        for width, _, x0, y0 in box_cells()
    ]


def closed_tees(ink):
    """Per cell: the stem joined to the bar."""
    (cell_w, cell_h) = TEE_CELL
    return [
        reaches(ink, (x0, y0, x0 + cell_w, y0 + cell_h), (x0 + cell_w // 2, y0 + TEE_STEM_END - 5), y0 + TEE_BAR_Y + int(width))
        for width, _, x0, y0 in tee_cells()
    ]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sheets = {
        "boxes": (shrunk(draw_boxes, (len(BOX_GAPS) * BOX_PITCH, len(BOX_WIDTHS) * BOX_PITCH)), closed_boxes, BOX_WIDTHS, BOX_GAPS),
        "tees": (shrunk(draw_tees, (len(TEE_GAPS) * TEE_CELL[0], len(TEE_WIDTHS) * TEE_CELL[1])), closed_tees, TEE_WIDTHS, TEE_GAPS),
    }
    inputs = []
    for name, (image, *_) in sheets.items():
        path = os.path.join(out, f"{name}.png")
        image.save(path)
        inputs.append(path)
    cli = os.environ.get("FILL_LINE_GAPS", "fill-line-gaps")
    closed_dir = os.path.join(out, "closed")
    run = subprocess.run([cli, *inputs, "-o", closed_dir, "--mark", *sys.argv[2:]], stdout=subprocess.DEVNULL)
    if run.returncode != 0:
        sys.exit(f"{cli} failed (exit status {run.returncode})")
    for name, (_, closed, widths, gaps) in sheets.items():
        if any(closed(ink_mask(os.path.join(out, f"{name}.png")))):
            sys.exit(f"{name}: the probe drawing is already closed somewhere")
        joined = closed(ink_mask(os.path.join(closed_dir, f"{name}.mark.png")))
        print(f"{name}: {sum(joined)} of {len(joined)} closed (rows: line width, columns: gap)")
        print("  width \\ gap " + " ".join(f"{g:>3}" for g in gaps))
        for row, width in enumerate(widths):
            line = joined[row * len(gaps):(row + 1) * len(gaps)]
            print(f"  {width:>11} " + " ".join(f"{'yes' if c else '-':>3}" for c in line))


if __name__ == "__main__":
    main()
