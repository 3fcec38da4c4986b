#!/usr/bin/env bash
# Prepares TRAINING drawings from clip art drawn by people: 768x768 grey 8-bit PNG sheets of 3-6
# figures of the xfig libraries (maps, buildings, furniture, machines, origami, schematics, a few
# cartoons), drawn as line art up to 1000 px large with lines 1-4 px wide (small symbols stay
# small), overlapping and running off the sheet. Their thin lines meet in T and L junctions and
# corners around large regions, which is what the dev set's misses are made of
# (models/experiments.md, "Where the misses are"). Every fill becomes white paper, so lines
# hidden behind a shape stay hidden, except that a third of the sheets keep their solid black
# fills; text is dropped. A quarter of the sheets are aliased (thresholded at half darkness),
# and three in ten are drawn in a grey pen (darkness x 0.6-0.9).
# Deterministic (fixed seed, the package version is in the stamp).
#
# Usage: tests/eval/prepare_fig_training.sh [OUT_DIR]  (default $HOME/.cache/fill-line-gaps/train/fig)
#        FORCE=1 tests/eval/prepare_fig_training.sh     rebuild even if OUT_DIR is already complete
#
# Source (ONLY this is allowed for training):
#   Debian xfig-libs              /usr/share/xfig/Libraries/**/*.fig (downloaded with apt-get
#                                 download and unpacked in a temp dir, not installed); drawn by
#                                 Debian fig2dev. License: the xfig licence (permissive), whose
#                                 copyright file is copied next to the sheets.
# Held out, NEVER used here: Debian openclipart-svg, PyPI kanjivg, npm @tabler/icons,
# npm lucide-static, and Debian tuxpaint-data (the dev eval set, see prepare.sh).
#
# Needs: apt-get and dpkg-deb, fig2dev (Debian fig2dev, installed if missing and root),
# python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/train/fig}"
SHEETS="${SHEETS:-300}"
SEED=20261207

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DEB="$(deb_download "$WORK" xfig-libs)"
VERSION="fig-sheets v1 seed=$SEED n=$SHEETS xfig-libs@$(dpkg-deb -f "$DEB" Version)"
exit_if_prepared "$OUT" "$VERSION" "clip-art training sheets"

command -v fig2dev >/dev/null || apt_install fig2dev
find_python_with_pillow
dpkg-deb -x "$DEB" "$WORK/x"
STAGE="$WORK/stage"
mkdir -p "$STAGE"

"$PY" - "$WORK/x/usr/share/xfig/Libraries" "$WORK/fig" "$STAGE" "$SHEETS" "$SEED" <<'PYEOF'
import io, math, os, random, subprocess, sys
from PIL import Image, ImageOps
from sheets import draw_anywhere, pen_style, write_sheets

libs, tmp, stage, n_sheets, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
W = 768                                   # sheet size
SKIPPED = {"Labels", "Knitting"}          # lettering and knitting grids, not drawings
os.makedirs(tmp)

# Figures by library, so that the 1,117 electronic symbols weigh as much as the 62 examples.
libraries = {}
for root, _, files in sorted(os.walk(libs)):
    top = os.path.relpath(root, libs).split(os.sep)[0]
    if top in SKIPPED or top == ".":
        continue
    libraries.setdefault(top, []).extend(
        os.path.join(root, f) for f in sorted(files) if f.endswith(".fig"))
names = sorted(libraries)
assert len(names) > 20, names


def line_art(fig, pen_scale, keep_black):
    """The figure as black lines on white: pens black and `pen_scale` times as wide, fills white
    (black ones kept when `keep_black`), text dropped. The lines of ellipses, polylines, splines
    and arcs (object codes 1, 2, 3 and 5) carry thickness, pen colour, fill colour and area fill
    as their fields 3, 4, 5 and 8; their point lines are indented."""
    lines = fig.splitlines()
    if not lines or not lines[0].startswith("#FIG 3"):
        return None
    out = []
    for line in lines:
        f = line.split()
        if line[:1] not in ("\t", " ") and len(f) > 9 and f[0] in ("1", "2", "3", "5"):
            f[3] = str(int(f[3]) * pen_scale)
            f[4] = "0"
            black = f[5] in ("0", "-1") and f[8] == "20"
            if f[8] != "-1" and not (black and keep_black):
                f[5], f[8] = "7", "20"
            line = " ".join(f)
        elif line[:1] == "4":
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def render(fig, mag):
    """The figure drawn by fig2dev at `mag` (1 = 80 px per inch), smoothed, as darkness."""
    path = os.path.join(tmp, "f.fig")
    with open(path, "w") as fh:
        fh.write(fig)
    png = subprocess.run(["fig2dev", "-L", "png", "-S", "4", "-b", "2", "-m", f"{mag:.4f}", path],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    if not png:
        return None
    return ImageOps.invert(Image.open(io.BytesIO(png)).convert("L"))


rng = random.Random(seed)

def draw_figures():
    """A sheet of 3-6 figures placed anywhere, some mirrored, in the pen `pen_style` picks (a
    third keep their black fills), with its manifest columns (style, "figure@size px,pen
    scale,x,y ...")."""
    sheet = Image.new("L", (W, W), 255)
    keep_black = rng.random() < 1 / 3
    count = rng.randint(3, 6)
    placed = []
    while len(placed) < count:
        path = rng.choice(libraries[rng.choice(names)])
        fig = open(path, encoding="latin-1").read()
        plain = line_art(fig, 1, keep_black)
        probe = plain and render(plain, 1)
        if probe is None or probe.getbbox() is None:
            continue
        natural = max(probe.size)
        size = math.exp(rng.uniform(math.log(250), math.log(1000)))
        width = math.exp(rng.uniform(math.log(1), math.log(4)))    # px, for xfig's thinnest pen
        size = min(size, natural * width)   # small symbols stay small rather than thick
        pen_scale = max(1, round(width * natural / size))
        im = render(line_art(fig, pen_scale, keep_black), 2 * size / natural)
        if im is None or im.getbbox() is None:
            continue
        im = im.crop(im.getbbox())
        im = im.resize((max(1, im.width // 2), max(1, im.height // 2)), Image.BOX)
        if rng.random() < 0.3:
            im = ImageOps.mirror(im)
        x, y = draw_anywhere(sheet, ImageOps.invert(im), rng)
        placed.append(f"{os.path.relpath(path, libs)}@{size:.0f}px,pen{pen_scale},{x},{y}")
    sheet, style = pen_style(sheet, rng)
    if keep_black:
        style += ",black"
    return sheet, (style, " ".join(placed))

write_sheets(stage, "fig", n_sheets, draw_figures, "file\tstyle\tfigure@size,pen scale,x,y ...")
PYEOF

cp "$WORK/x/usr/share/doc/xfig-libs/copyright" "$STAGE/LICENSE.xfig-libs"

N="$(install_set "$STAGE" "$OUT" "$VERSION" "clip-art training sheets")"
echo "wrote $N clip-art training sheets to $OUT in ${SECONDS}s"
