#!/usr/bin/env bash
# Prepares sheets of stroked characters: 768x768 grey 8-bit PNGs of Chinese characters drawn as
# pen strokes along their centre lines, with round caps, in the way stroke-order data is drawn.
# Each sheet holds 6-14 characters at 90-300 px (the small parts: 50-110 px), with strokes
# 2.5-4 % of the character's size (at least 1.5 px), side by side and never overlapping.
# Characters are the hardest negatives there are: every stroke ends on purpose, often a few
# pixels short of another stroke, and many small closed regions sit between them. The
# characters are split in two halves by code point, so a model trained on one half is checked
# on drawings it never saw:
#   PART=check     (default) 100 sheets of the odd code points: a second check beside the dev
#                  set (tests/eval/README.md), never trained on
#   PART=small     100 sheets of the odd code points at 50-110 px, with another seed: a third
#                  check, where thin strokes lie a few pixels apart
#   PART=training  300 sheets of the even code points, with another seed
#   PART=training-small  300 sheets of the even code points at 50-110 px, with a fourth seed
#                  (phase 51, not shipped: models/experiments.md)
# Deterministic (fixed seeds, pinned package version).
#
# Usage: tests/eval/prepare_hanzi.sh [OUT_DIR]   (default $HOME/.cache/fill-line-gaps/eval/hanzi,
#        PART=small: $HOME/.cache/fill-line-gaps/eval/hanzi-small,
#        PART=training: $HOME/.cache/fill-line-gaps/train/hanzi,
#        PART=training-small: $HOME/.cache/fill-line-gaps/train/hanzi-small)
#        FORCE=1 tests/eval/prepare_hanzi.sh      rebuild even if OUT_DIR is already complete
#
# Source:
#   npm hanzi-writer-data 2.0.1   9,500 characters' stroke centre lines ("medians", from the
#                                 Make Me a Hanzi project, drawn from Arphic's fonts).
#                                 License: Arphic Public License (ARPHICPL.TXT)
# Its licence file is copied next to the sheets. Installed with npm into a temp dir only.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg (nor Debian
# fonts-kanjistrokeorders, which is drawn from it), npm @tabler/icons, npm lucide-static.
#
# Needs: npm and rsvg-convert (Debian nodejs + npm and librsvg2-bin, installed if missing and
# root), python3 + Pillow.
set -euo pipefail
SECONDS=0

PART="${PART:-check}"
case "$PART" in
  check)          OUT="${1:-$HOME/.cache/fill-line-gaps/eval/hanzi}";        SHEETS=100; SEED=20261207; PARITY=1; SIZES="90 300" ;;
  small)          OUT="${1:-$HOME/.cache/fill-line-gaps/eval/hanzi-small}";  SHEETS=100; SEED=20261209; PARITY=1; SIZES="50 110" ;;
  training)       OUT="${1:-$HOME/.cache/fill-line-gaps/train/hanzi}";       SHEETS=300; SEED=20261208; PARITY=0; SIZES="90 300" ;;
  training-small) OUT="${1:-$HOME/.cache/fill-line-gaps/train/hanzi-small}"; SHEETS=300; SEED=20261210; PARITY=0; SIZES="50 110" ;;
  *) echo "PART must be check, small, training or training-small, not $PART" >&2; exit 2 ;;
esac
PACKAGE_VER=2.0.1
VERSION="hanzi-$PART v1 seed=$SEED n=$SHEETS hanzi-writer-data@$PACKAGE_VER"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "stroked-character $PART sheets"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

npm_into_temp "hanzi-writer-data@$PACKAGE_VER"
PKG="$NM/hanzi-writer-data"

# shellcheck disable=SC2086  # SIZES is two numbers
"$PY" - "$PKG" "$STAGE" "$SHEETS" "$SEED" "$PARITY" $SIZES <<'PYEOF'
import json, math, os, random, sys
from sheets import boxes_overlap, counted, render_svg, write_sheets

pkg, stage, n_sheets, seed, parity = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
smallest, largest = int(sys.argv[6]), int(sys.argv[7])   # px, a character's side
W = 768                                   # sheet size
EM = 1024                                 # the data's design square; y points up from -124
GAP = 12                                  # min px between characters' boxes

def centre_line(points):
    """An SVG path through a stroke's median points, its corners rounded by quadratic curves
    through the midpoints, as a pen would draw them."""
    pts = [(x, 900 - y) for x, y in points]
    if len(pts) < 3:
        return "M" + " L".join(f"{x} {y}" for x, y in pts)
    d = [f"M{pts[0][0]} {pts[0][1]}"]
    for (x0, y0), (x1, y1) in zip(pts[1:-1], pts[2:]):
        d.append(f"Q{x0} {y0} {(x0 + x1) / 2} {(y0 + y1) / 2}")
    d.append(f"L{pts[-1][0]} {pts[-1][1]}")
    return " ".join(d)

names = sorted(f for f in os.listdir(pkg) if f.endswith(".json") and f != "package.json"
               and len(f) == 6 and ord(f[0]) % 2 == parity)
chars = []
for f in names:
    medians = json.load(open(os.path.join(pkg, f), encoding="utf-8")).get("medians") or []
    if 2 <= len(medians) <= 16:
        chars.append((f[:-5], [centre_line(m) for m in medians if len(m) >= 2]))
assert len(chars) > 2500, len(chars)

rng = random.Random(seed)

def draw_characters():
    """A sheet of 6-14 characters stroked along their medians, apart, with the manifest entries
    "codepoint@size px,w stroke,x,y"."""
    groups, boxes, placed = [], [], []
    for _ in range(rng.randint(6, 14)):
        char, paths = rng.choice(chars)
        size = round(math.exp(rng.uniform(math.log(smallest), math.log(largest))))
        stroke = max(1.5, size * rng.uniform(0.025, 0.04))              # px
        for _ in range(60):
            x, y = rng.randint(0, W - size), rng.randint(0, W - size)
            box = (x, y, x + size, y + size)
            if not any(boxes_overlap(box, b, GAP) for b in boxes):
                break
        else:
            continue
        k = size / EM
        groups.append(f'<g transform="translate({x} {y}) scale({k:.5f})" '
                      f'stroke-width="{stroke / k:.2f}">'
                      + "".join(f'<path d="{d}"/>' for d in paths) + "</g>")
        boxes.append(box)
        placed.append(f"U+{ord(char[0]):04X}@{size}px,w{stroke:.1f},{x},{y}")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {W}">'
           '<g fill="none" stroke="#000" stroke-linecap="round" stroke-linejoin="round">'
           + "".join(groups) + "</g></svg>")
    return counted(render_svg(svg.encode(), W), placed)

rows = write_sheets(stage, "sheet", n_sheets, draw_characters,
                    "file\tcharacters\tcodepoint@size,stroke px,x,y ...")
print(f"{len(chars)} characters; {sum(int(r[1]) for r in rows)} placed", file=sys.stderr)
PYEOF

cp "$PKG/ARPHICPL.TXT" "$STAGE/LICENSE.hanzi-writer-data.txt"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "$PART sheets")"
echo "wrote $N $PART sheets to $OUT in ${SECONDS}s"
