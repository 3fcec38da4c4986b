#!/usr/bin/env bash
# Prepares LETTERING sheets: 512x512 grey 8-bit PNGs of solid text (dark on white paper), as
# comic inks letter their balloons and genga carry handwritten notes. Each sheet holds 2-4
# blocks of 1-4 lines of random words in capitals or mixed case, 9-42 px high, some in a
# balloon outline (an ellipse 1.5-4 px wide) and some rotated a little; a quarter aliased and
# some in a grey pen (sheets.pen_style). Letters open where their shapes open (c, e, G, S, 3)
# and stand apart: nothing between them is a gap, so a closure there is a stray stroke.
#
#   PART=check     (default) 60 sheets in held-out fonts: a check of what the model adds to
#                  lettering; never trained on.
#   PART=training  300 sheets in other fonts, with another seed.
#
# Usage: tests/eval/prepare_lettering.sh [OUT_DIR]
#        (default $HOME/.cache/fill-line-gaps/eval/lettering, or with PART=training
#        $HOME/.cache/fill-line-gaps/train/lettering)
#        FORCE=1 tests/eval/prepare_lettering.sh     rebuild even if OUT_DIR is already complete
#
# Sources:
#   training  Debian fonts-urw-base35 (AGPL-3 with font exception) and fonts-dejavu-core
#             (Bitstream Vera licence), the fonts of the glyph training sheets
#   check     Debian fonts-comic-neue (SIL OFL 1.1), a comic lettering face, and
#             fonts-liberation (SIL OFL 1.1); never trained on
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: python3 with Pillow (installed if missing), the font packages (installed if missing
# and root).
set -euo pipefail
SECONDS=0

PART="${PART:-check}"
case "$PART" in
  check)
    OUT="${1:-$HOME/.cache/fill-line-gaps/eval/lettering}"; SHEETS=60; SEED=20261209
    PACKAGES=(fonts-comic-neue fonts-liberation)
    FONT_DIRS=(/usr/share/fonts/opentype/comic-neue /usr/share/fonts/truetype/liberation) ;;
  training)
    OUT="${1:-$HOME/.cache/fill-line-gaps/train/lettering}"; SHEETS=300; SEED=20261210
    PACKAGES=(fonts-urw-base35 fonts-dejavu-core)
    FONT_DIRS=(/usr/share/fonts/opentype/urw-base35 /usr/share/fonts/truetype/dejavu) ;;
  *) echo "PART must be check or training, not $PART" >&2; exit 2 ;;
esac
VERSION="lettering-$PART v1 seed=$SEED n=$SHEETS"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "lettering $PART sheets"

for i in "${!PACKAGES[@]}"; do
  [[ -d "${FONT_DIRS[$i]}" ]] || apt_install "${PACKAGES[$i]}"
done
find_python_with_pillow

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT

"$PY" - "$STAGE" "$SHEETS" "$SEED" "${FONT_DIRS[@]}" <<'PYEOF'
import math, os, random, sys
from PIL import Image, ImageChops, ImageDraw, ImageFont
from sheets import pen_style, write_sheets

stage, n_sheets, seed, font_dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
W = 512
# Text faces only: no dingbats, symbols or maths.
SKIP = ("D050000L", "StandardSymbols", "Math", "Z003")
fonts = sorted(os.path.join(d, f) for d in font_dirs for f in os.listdir(d)
               if f.endswith((".otf", ".ttf")) and not any(s in f for s in SKIP))
assert len(fonts) >= 8, fonts
CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
rng = random.Random(seed)

def word(capitals):
    letters = "".join(rng.choice(CAPITALS if capitals else LOWER) for _ in range(rng.randint(1, 8)))
    if not capitals and rng.random() < 0.2:
        letters = letters.capitalize()
    if rng.random() < 0.15:
        letters += rng.choice(["!", "?", "!?", "...", ",", ".", "-", "'S", "0", "25", "3"])
    return letters

def block():
    """A block of lettering, white paper, and its manifest entry."""
    path = rng.choice(fonts)
    size = round(math.exp(rng.uniform(math.log(9), math.log(42))))
    font = ImageFont.truetype(path, size)
    capitals = rng.random() < 0.6
    lines = [" ".join(word(capitals) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
    text = "\n".join(lines)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    box = probe.multiline_textbbox((0, 0), text, font=font, align="center", spacing=size // 4)
    left, top, right, bottom = math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3])
    pad = size
    im = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 255)
    draw = ImageDraw.Draw(im)
    draw.multiline_text((pad - left, pad - top), text, font=font, fill=0, align="center", spacing=size // 4)
    balloon = rng.random() < 0.5
    if balloon:
        width = rng.uniform(1.5, 4)
        framed = Image.new("L", (round(im.width * 1.45), round(im.height * 1.6)), 255)
        framed.paste(im, ((framed.width - im.width) // 2, (framed.height - im.height) // 2))
        ImageDraw.Draw(framed).ellipse([2, 2, framed.width - 3, framed.height - 3], outline=0, width=round(width))
        im = framed
    if rng.random() < 0.3:
        im = ImageChops.invert(ImageChops.invert(im).rotate(rng.uniform(-12, 12), resample=Image.BICUBIC, expand=True))
    label = f"{os.path.basename(path).rsplit('.', 1)[0]}@{size}{',balloon' if balloon else ''}"
    return im, label

def draw_lettering():
    sheet = Image.new("L", (W, W), 255)
    placed = []
    for _ in range(rng.randint(2, 4)):
        im, label = block()
        if im.width > W or im.height > W:
            continue
        x, y = rng.randint(0, W - im.width), rng.randint(0, W - im.height)
        region = sheet.crop((x, y, x + im.width, y + im.height))
        sheet.paste(ImageChops.darker(region, im), (x, y))
        placed.append(f"{label},{x},{y}")
    sheet, pen = pen_style(sheet, rng)
    return sheet, (pen, " ".join(placed))

write_sheets(stage, "sheet", n_sheets, draw_lettering, "file\tpen\tfont@size[,balloon],x,y ...")
PYEOF

for package in "${PACKAGES[@]}"; do
  cp "/usr/share/doc/$package/copyright" "$STAGE/COPYRIGHT.$package"
done

N="$(install_set "$STAGE" "$OUT" "$VERSION" "lettering $PART sheets")"
echo "wrote $N lettering $PART sheets to $OUT in ${SECONDS}s"
