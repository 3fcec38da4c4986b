#!/usr/bin/env bash
# Prepares TRAINING drawings from type: 512x512 grey 8-bit PNG sheets of glyph OUTLINES (dark
# lines on white paper). Each sheet holds 3-7 letters, digits and dingbats at 90-460 px,
# some rotated, their outlines drawn 1.5-12 px wide (anti-aliased, from a signed distance to
# the glyph's edge); glyphs may overlap, and overlapping outlines cross like the strokes of a
# drawing. Serif corners, bowls, counters and dingbat shapes give the sharp corners, curves
# and small closed regions that icon sets have few of. Deterministic (fixed seed; fonts from
# the Debian packages below).
#
# Usage: tests/eval/prepare_glyph_training.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/train/glyphs)
#        FORCE=1 tests/eval/prepare_glyph_training.sh     rebuild even if OUT_DIR is already complete
#
# Sources (ONLY these are allowed for training):
#   Debian fonts-urw-base35   the 35 URW base fonts (Nimbus, C059, P052, URW Bookman, URW Gothic,
#                             Z003, D050000L dingbats; AGPL-3 with font exception)
#   Debian fonts-dejavu-core  DejaVu Sans, Serif and Mono (Bitstream Vera licence)
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: python3 with Pillow and SciPy (installed if missing), the two font packages
# (installed if missing and root).
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/train/glyphs}"
SHEETS="${SHEETS:-300}"
SEED=20261125
URW=/usr/share/fonts/opentype/urw-base35
DEJAVU=/usr/share/fonts/truetype/dejavu
VERSION="glyph-sheets v1 seed=$SEED n=$SHEETS"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "glyph training sheets"

[[ -d "$URW" ]] || apt_install fonts-urw-base35
[[ -d "$DEJAVU" ]] || apt_install fonts-dejavu-core
find_python_with_pillow
"$PY" -c 'import scipy' 2>/dev/null || "$PY" -m pip install -q scipy 2>/dev/null || apt_install python3-scipy

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT

"$PY" - "$URW" "$DEJAVU" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import math, os, random, sys
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy.ndimage import distance_transform_edt
from sheets import counted, write_sheets

urw, dejavu, stage, n_sheets, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
W = 512
fonts = sorted(os.path.join(urw, f) for f in os.listdir(urw) if f.endswith(".otf"))
fonts += sorted(os.path.join(dejavu, f) for f in os.listdir(dejavu) if f.endswith(".ttf") and "Math" not in f)
DINGBATS = os.path.join(urw, "D050000L.otf")
SYMBOLS = os.path.join(urw, "StandardSymbolsPS.otf")
assert len(fonts) > 40 and os.path.exists(DINGBATS)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&@%$?#"
# D050000L puts the ITC Zapf Dingbats (hands, pencils, stars, flowers, ...) on ASCII codes.
DINGBAT_CHARS = [chr(c) for c in range(0x21, 0x7F)]

def glyph_mask(rng):
    """A filled glyph as a float mask (1 inside), tightly cropped, and its label."""
    r = rng.random()
    if r < 0.3:
        path, char = DINGBATS, rng.choice(DINGBAT_CHARS)
    else:
        path, char = rng.choice(fonts), rng.choice(LETTERS)
    size = round(math.exp(rng.uniform(math.log(90), math.log(460))))
    font = ImageFont.truetype(path, size)
    canvas = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(canvas).text((size // 2, size // 4), char, font=font, fill=255)
    if rng.random() < 0.4:
        canvas = canvas.rotate(rng.uniform(-40, 40), resample=Image.BICUBIC)
    bb = canvas.getbbox()
    if bb is None:
        return None, None
    mask = np.asarray(canvas.crop(bb), dtype=np.float32) / 255.0
    return mask, f"{os.path.basename(path)[:-4]}/U+{ord(char):04X}@{size}"

def outline(mask, width):
    """Darkness of the glyph's outline, `width` px wide, anti-aliased over one pixel."""
    pad = int(width) + 3
    m = np.pad(mask, pad) >= 0.5
    inside = distance_transform_edt(m)
    outside = distance_transform_edt(~m)
    signed = np.where(m, inside - 0.5, -(outside - 0.5))
    return np.clip(width / 2 + 0.5 - np.abs(signed), 0.0, 1.0)

rng = random.Random(seed)

def draw_glyphs():
    """A sheet of 3-7 outlined glyphs, with the manifest entries "font/codepoint@size
    px,w outline,x,y"."""
    sheet = np.zeros((W, W), dtype=np.float32)
    placed = []
    want = rng.randint(3, 7)
    attempts = 0
    while len(placed) < want and attempts < want * 4:
        attempts += 1
        mask, label = glyph_mask(rng)
        if mask is None or min(mask.shape) < 12:
            continue
        width = math.exp(rng.uniform(math.log(1.5), math.log(12)))
        width = min(width, max(1.5, min(mask.shape) / 8))
        line = outline(mask, width)
        h, w = line.shape
        if h > W or w > W:
            continue
        x, y = rng.randint(0, W - w), rng.randint(0, W - h)
        region = sheet[y:y + h, x:x + w]
        np.maximum(region, line, out=region)
        placed.append(f"{label},w{width:.1f},{x},{y}")
    return counted(Image.fromarray(np.round(255 * (1 - sheet)).astype(np.uint8)), placed)

write_sheets(stage, "sheet", n_sheets, draw_glyphs, "file\tglyphs\tfont/codepoint@size,outline px,x,y ...")
PYEOF

cp /usr/share/doc/fonts-urw-base35/copyright "$STAGE/COPYRIGHT.fonts-urw-base35"
cp /usr/share/doc/fonts-dejavu-core/copyright "$STAGE/COPYRIGHT.fonts-dejavu-core"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "glyph training sheets")"
echo "wrote $N glyph training sheets to $OUT in ${SECONDS}s"
