#!/usr/bin/env bash
# Prepares TRAINING drawings: 512x512 grey 8-bit PNG sheets (dark lines on white paper), each
# with 6-12 stroke icons at random positions, 3-10x their 24 px design size, line widths of
# about 1.5-12 px, some mirrored. Deterministic (fixed seed, pinned package versions).
#
# Usage: tests/eval/prepare_training.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/train/icons)
#        FORCE=1 tests/eval/prepare_training.sh    rebuild even if OUT_DIR is already complete
#
# Sources (ONLY these are allowed for training):
#   npm iconoir 7.12.1            icons/regular/*.svg (stroke icons; stroke-width is rewritten)
#                                 License: MIT, "Copyright (c) 2021 Luca Burgio"
#   npm @phosphor-icons/core 2.1.1  assets/{thin,light,regular,bold}/*.svg (strokes already
#                                 outlined, so the weight picks the width; fill/duotone unused)
#                                 License: MIT, "Copyright (c) 2023 Phosphor Icons"
# Both LICENSE files are copied next to the sheets. Installed with npm into a temp dir only.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: npm and rsvg-convert (Debian nodejs + npm and librsvg2-bin, installed if missing and
# root), python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/train/icons}"
SHEETS="${SHEETS:-300}"
SEED=20240611
ICONOIR_VER=7.12.1
PHOSPHOR_VER=2.1.1
VERSION="icon-sheets v1 seed=$SEED n=$SHEETS iconoir@$ICONOIR_VER phosphor-core@$PHOSPHOR_VER"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "training sheets"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

npm_into_temp "iconoir@$ICONOIR_VER" "@phosphor-icons/core@$PHOSPHOR_VER"

"$PY" - "$NM" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import math, os, random, re, sys
from sheets import write_icon_sheets

nm, stage, n_sheets, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
W = 512                                   # sheet size
GAP = 6                                   # min px between icons' ink boxes

def listdir(d):
    return sorted(f for f in os.listdir(d) if f.endswith(".svg"))

iconoir_dir = os.path.join(nm, "iconoir", "icons", "regular")
iconoir = listdir(iconoir_dir)
PH_WEIGHTS = {"thin": 8, "light": 12, "regular": 16, "bold": 24}   # stroke width, 256 units
ph_dir = os.path.join(nm, "@phosphor-icons", "core", "assets")
phosphor = {w: listdir(os.path.join(ph_dir, w)) for w in PH_WEIGHTS}
assert len(iconoir) > 1000 and all(len(v) > 1000 for v in phosphor.values())

def pick_icon(rng):
    """A random icon: (label, size px, build) where build(size) -> (svg, stroke px)."""
    if rng.random() < 0.5:
        name = rng.choice(iconoir)
        size = round(24 * math.exp(rng.uniform(math.log(3), math.log(10))))
        target = math.exp(rng.uniform(math.log(1.5), math.log(12)))   # stroke px
        svg = open(os.path.join(iconoir_dir, name), "rb").read().decode()
        def build(s):
            units = min(max(target * 24 / s, 0.3), 3.0)   # in the 24-unit grid (was 1.5)
            k = units / 1.5
            out = re.sub(r'stroke-width="([0-9.]+)"',
                         lambda m: f'stroke-width="{float(m.group(1)) * k:.3f}"', svg)
            return out.encode(), units * s / 24
        return f"iconoir/{name[:-4]}", size, build
    weight = rng.choice(sorted(PH_WEIGHTS))
    w = PH_WEIGHTS[weight]
    lo, hi = max(72, 1.5 * 256 / w), min(240, 12 * 256 / w)
    size = round(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    name = rng.choice(phosphor[weight])
    svg = open(os.path.join(ph_dir, weight, name), "rb").read()
    return f"phosphor/{weight}/{name[:-4]}", size, lambda s: (svg, w * s / 256)

write_icon_sheets(stage, "sheet", n_sheets, W, pick_icon, random.Random(seed), GAP)
PYEOF

cp "$NM/iconoir/LICENSE" "$STAGE/LICENSE.iconoir"
cp "$NM/@phosphor-icons/core/LICENSE" "$STAGE/LICENSE.phosphor-icons-core"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "training sheets")"
echo "wrote $N training sheets to $OUT in ${SECONDS}s"
