#!/usr/bin/env bash
# Prepares a CHECK set of stroke icons, never trained on: 100 grey 8-bit PNG sheets of 512x512
# (dark lines on white paper), each with 6-12 outline icons at random positions, 3-10x their
# 24 px design size, lines about 1.5-8 px, some mirrored. Stroke icons are the other extreme
# from colouring pages: small closed regions, and strokes that stop short of a frame on purpose.
# Deterministic (fixed seed, pinned package version).
#
# Usage: tests/eval/prepare_icon_check.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/eval/icons)
#        FORCE=1 tests/eval/prepare_icon_check.sh    rebuild even if OUT_DIR is already complete
#
# Source (ONLY this one, and never for training):
#   npm heroicons 2.2.0   24/outline/*.svg (stroke icons, stroke-width 1.5 in a 24-unit grid,
#                         rewritten to pick the line width). License: MIT, "Copyright (c)
#                         Tailwind Labs, Inc."; the LICENSE file is copied next to the sheets.
# Installed with npm into a temp dir only.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons and
# npm lucide-static (nor feather-icons, which lucide continues).
#
# Needs: npm and rsvg-convert (Debian nodejs + npm and librsvg2-bin, installed if missing and
# root), python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/eval/icons}"
SHEETS=100
SEED=20261209
HEROICONS_VER=2.2.0
VERSION="icon-check v1 seed=$SEED n=$SHEETS heroicons@$HEROICONS_VER"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "icon check sheets"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

npm_into_temp "heroicons@$HEROICONS_VER"

"$PY" - "$NM" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import math, os, random, re, sys
from sheets import write_icon_sheets

nm, stage, n_sheets, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
W = 512                                   # sheet size
GAP = 6                                   # min px between icons' ink boxes
icon_dir = os.path.join(nm, "heroicons", "24", "outline")
icons = sorted(f for f in os.listdir(icon_dir) if f.endswith(".svg"))
assert len(icons) > 300, len(icons)

def pick_icon(rng):
    """A random icon: (name, size px, build) where build(size) -> (svg, stroke px)."""
    name = rng.choice(icons)
    size = round(24 * math.exp(rng.uniform(math.log(3), math.log(10))))
    stroke = math.exp(rng.uniform(math.log(1.5), math.log(8)))    # line width, px
    svg = open(os.path.join(icon_dir, name), "rb").read().decode()
    def build(s):
        units = min(max(stroke * 24 / s, 0.3), 3.0)                 # in the 24-unit grid
        return re.sub(r'stroke-width="[0-9.]+"', f'stroke-width="{units:.3f}"', svg).encode(), units * s / 24
    return name[:-4], size, build

write_icon_sheets(stage, "icons", n_sheets, W, pick_icon, random.Random(seed), GAP)
PYEOF

cp "$NM/heroicons/LICENSE" "$STAGE/LICENSE.heroicons"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "icon check sheets")"
echo "wrote $N icon check sheets to $OUT in ${SECONDS}s"
