#!/usr/bin/env bash
# Prepares TRAINING drawings from emoji outlines: 512x512 grey 8-bit PNG sheets of the line art
# of Streamline's emoji (dark lines on white paper). Each emoji keeps only its outline strokes
# and the solid dark shapes drawn in the outline colour (eyes, mouths, nostrils); colour fills,
# coloured strokes and translucent shadows are dropped. Faces, animals, people and food drawn
# with hand-shaped outlines give the organic curves, open whisker and hair strokes and small
# closed regions of colouring-book and character art, which icons and glyphs have few of. Each
# sheet holds up to 6 emoji at 110-420 px, some mirrored, their outlines 1.5-12 px wide; a
# quarter of them may be drawn over their neighbours, outlines crossing like the strokes of a
# drawing. Deterministic (fixed seed, pinned package version).
#
# Usage: tests/eval/prepare_emoji_training.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/train/emoji)
#        FORCE=1 tests/eval/prepare_emoji_training.sh     rebuild even if OUT_DIR is already complete
#
# Source (ONLY this is allowed for training):
#   npm @iconify-json/streamline-emojis 1.2.4   787 emoji on a 48-unit grid, outlines stroked
#                                 in #45413c. License: CC BY 4.0, "Streamline Emojis" by
#                                 Streamline (https://github.com/webalys-hq/streamline-vectors)
# Its info.json (author and licence) is copied next to the sheets. Installed with npm into a
# temp dir only.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: npm and rsvg-convert (Debian nodejs + npm and librsvg2-bin, installed if missing and
# root), python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/train/emoji}"
SHEETS="${SHEETS:-300}"
SEED=20261126
PACKAGE_VER=1.2.4
VERSION="emoji-sheets v1 seed=$SEED n=$SHEETS streamline-emojis@$PACKAGE_VER"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "emoji training sheets"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

npm_into_temp "@iconify-json/streamline-emojis@$PACKAGE_VER"
PKG="$NM/@iconify-json/streamline-emojis"

"$PY" - "$PKG" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import io, json, math, os, random, re, subprocess, sys
from PIL import Image, ImageChops, ImageOps
from sheets import boxes_overlap, counted, ink_only, write_sheets

pkg, stage, n_sheets, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
W = 512                                   # sheet size
GRID = 48                                 # the emoji's design grid
GAP = 6                                   # min px between emoji's ink boxes, unless crossing
OUTLINE = {"#45413c", "#4f4b45"}          # the outline colours

data = json.load(open(os.path.join(pkg, "icons.json")))
ELEMENT = re.compile(r"<(path|circle|ellipse|rect|line|polyline|polygon)\b[^>]*?/>")

def attr(element, name):
    m = re.search(rf'\s{name}="([^"]*)"', element)
    return m.group(1).lower() if m else None

def line_art(body):
    """The outline strokes and solid outline-coloured shapes of an emoji, drawn in black."""
    kept = []
    for m in ELEMENT.finditer(body):
        e = m.group(0)
        if attr(e, "opacity") or attr(e, "fill-opacity") or attr(e, "stroke-opacity"):
            continue                      # shadows and highlights
        stroke, fill = attr(e, "stroke") in OUTLINE, attr(e, "fill") in OUTLINE
        if not (stroke or fill):
            continue
        e = re.sub(r'\s(fill|stroke|stroke-width)="[^"]*"', "", e)
        paint = f'fill="{"#000" if fill else "none"}" stroke="{"#000" if stroke else "none"}"'
        kept.append(e.replace("<" + m.group(1), f"<{m.group(1)} {paint}", 1))
    return "".join(kept)

emoji = {}
for name, icon in sorted(data["icons"].items()):
    if icon.get("width", GRID) != GRID or icon.get("height", GRID) != GRID:
        continue
    art = line_art(icon["body"])
    if art.count("<") >= 3:
        emoji[name] = art
names = sorted(emoji)
assert len(names) > 600, len(names)

def render(name, size, stroke_px):
    width = stroke_px * GRID / size
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
           f'<g stroke-width="{width:.3f}" stroke-linecap="round" stroke-linejoin="round">'
           f'{emoji[name]}</g></svg>')
    png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size)],
                         input=svg.encode(), stdout=subprocess.PIPE, check=True).stdout
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
    return im.convert("L")

rng = random.Random(seed)

def draw_emoji():
    """A sheet of 2-6 emoji, some mirrored, a quarter of them free to cross their neighbours,
    with the manifest entries "name@size px,w stroke[,flip],x,y"."""
    sheet = Image.new("L", (W, W), 255)
    boxes, placed = [], []
    for _ in range(rng.randint(2, 6)):
        name = rng.choice(names)
        size = round(math.exp(rng.uniform(math.log(110), math.log(420))))
        stroke = min(math.exp(rng.uniform(math.log(1.5), math.log(12))), size / 20)
        im = render(name, size, stroke)
        flip = rng.random() < 0.3
        if flip:
            im = ImageOps.mirror(im)
        im = ink_only(im)
        if im is None:
            continue
        iw, ih = im.size
        crossing = rng.random() < 0.25   # drawn over its neighbours, outlines crossing
        for _ in range(40):
            x, y = rng.randint(-iw // 4, W - 3 * iw // 4), rng.randint(-ih // 4, W - 3 * ih // 4)
            box = (x, y, x + iw, y + ih)
            if crossing or not any(boxes_overlap(box, b, GAP) for b in boxes):
                break
        else:
            continue
        sheet.paste(ImageChops.darker(sheet.crop(box), im), box[:2])
        boxes.append(box)
        placed.append(f"{name}@{size}px,w{stroke:.1f}{',flip' if flip else ''},{x},{y}")
    return counted(sheet, placed)

rows = write_sheets(stage, "sheet", n_sheets, draw_emoji,
                    "file\temoji\temoji@size,stroke px[,flip],x,y ...")
print(f"{len(names)} emoji with line art; {sum(int(r[1]) for r in rows)} placed", file=sys.stderr)
PYEOF

cp "$PKG/info.json" "$STAGE/LICENSE.streamline-emojis.json"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "training sheets")"
echo "wrote $N training sheets to $OUT in ${SECONDS}s"
