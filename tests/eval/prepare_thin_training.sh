#!/usr/bin/env bash
# Prepares TRAINING drawings in the style of colouring pages: 768x768 grey 8-bit PNG sheets of
# 5-10 stroke icons drawn large (160-560 px) with thin lines (1.2-4 px), placed freely so that
# they overlap and run off the sheet, their outlines crossing like the strokes of a scene. A
# quarter of the sheets are aliased (thresholded at half darkness, like exports without
# anti-aliasing), and three in ten are drawn in a grey pen (darkness x 0.6-0.9). The dev set's
# strokes are thin (median skeleton width 1.8 px) around large regions; the icon and glyph
# sheets draw thick strokes around small ones (models/experiments.md, "Where the misses are").
# Deterministic (fixed seed, pinned package version).
#
# Usage: tests/eval/prepare_thin_training.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/train/thin)
#        FORCE=1 tests/eval/prepare_thin_training.sh     rebuild even if OUT_DIR is already complete
#
# Source (ONLY this is allowed for training):
#   npm iconoir 7.12.1            icons/regular/*.svg (stroke icons; stroke-width is rewritten)
#                                 License: MIT, "Copyright (c) 2021 Luca Burgio"
# Its LICENSE file is copied next to the sheets. Installed with npm into a temp dir only.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: npm and rsvg-convert (Debian nodejs + npm and librsvg2-bin, installed if missing and
# root), python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/train/thin}"
SHEETS="${SHEETS:-300}"
SEED=20261206
ICONOIR_VER=7.12.1
VERSION="thin-sheets v1 seed=$SEED n=$SHEETS iconoir@$ICONOIR_VER"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "thin-line training sheets"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

npm_into_temp "iconoir@$ICONOIR_VER"

"$PY" - "$NM" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import math, os, random, re, sys
from PIL import Image, ImageOps
from sheets import draw_anywhere, ink_only, pen_style, render_svg, write_sheets

nm, stage, n_sheets, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
W = 768                                   # sheet size
icon_dir = os.path.join(nm, "iconoir", "icons", "regular")
icons = sorted(f for f in os.listdir(icon_dir) if f.endswith(".svg"))
assert len(icons) > 1000

rng = random.Random(seed)

def draw_icons():
    """A sheet of 5-10 iconoir icons placed anywhere, some mirrored, in the pen `pen_style`
    picks, with its manifest columns (style, "icon@size px,w stroke,x,y ...")."""
    sheet = Image.new("L", (W, W), 255)
    placed = []
    for _ in range(rng.randint(5, 10)):
        name = rng.choice(icons)
        size = round(math.exp(rng.uniform(math.log(160), math.log(560))))
        stroke = math.exp(rng.uniform(math.log(1.2), math.log(4.0)))     # px
        k = (stroke * 24 / size) / 1.5          # iconoir draws 1.5 units on a 24-unit grid
        svg = open(os.path.join(icon_dir, name)).read()
        svg = re.sub(r'stroke-width="([0-9.]+)"',
                     lambda m: f'stroke-width="{float(m.group(1)) * k:.4f}"', svg).encode()
        im = render_svg(svg, size)
        if rng.random() < 0.3:
            im = ImageOps.mirror(im)
        im = ink_only(im)
        if im is None:
            continue
        x, y = draw_anywhere(sheet, im, rng)
        placed.append(f"{name[:-4]}@{size}px,w{stroke:.2f},{x},{y}")
    sheet, style = pen_style(sheet, rng)
    return sheet, (style, " ".join(placed))

write_sheets(stage, "thin", n_sheets, draw_icons, "file\tstyle\ticon@size,stroke px,x,y ...")
PYEOF

cp "$NM/iconoir/LICENSE" "$STAGE/LICENSE.iconoir"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "thin-line training sheets")"
echo "wrote $N thin-line training sheets to $OUT in ${SECONDS}s"
