#!/usr/bin/env bash
# Prepares the DEV EVALUATION SET: grey 8-bit PNG line drawings (dark lines on white paper,
# long side 768-1024 px) from the coloring-book "starters" and "templates" of the Debian
# package tuxpaint-data. Used only to measure gap closing; NEVER train on it.
#
# Usage: tests/eval/prepare.sh [OUT_DIR]   (default $HOME/.cache/fill-line-gaps/eval/tuxpaint)
#        FORCE=1 tests/eval/prepare.sh     rebuild even if OUT_DIR is already complete
#
# Only real line art is kept. Frames, grids, "-back" background layers and the chessboard
# label are dropped by name (the pixel test can't tell a frame from a drawing); the rest must
# pass a pixel test: >= 75 % near-white paper, <= 1 % mid-tone pixels away from any line
# (photos, shaded art), <= 4 % solid dark blobs (silhouettes) and some ink at all.
# Where a starter exists as .svg and .png the .svg is used.
#
# License of the source: debian/copyright of tuxpaint-data says "Files: *  Copyright
# 2002-2021 Bill Kendrick, License: GPL-2+". Its AUTHORS.txt credits the starters: chicken,
# jet plane, rocket, shipwreck, farmer, street, Nagasaki, frog, Canada/Japan maps etc. by Tux
# Paint contributors (GPL-2+); hat, elephant, skull, both cars, eagle, tortoise, gecko,
# manatee, pansy, stained glass, woodpecker, fish, mosaic and the frames from Open Clip Art
# (public domain); world map pieces and jigsaw from public-domain Wikimedia files, but the
# USA map from a GFDL / CC-BY-SA Wikimedia map. The templates are photos (rejected here).
# The copyright and AUTHORS files are copied next to the images.
#
# Needs: apt-get (download only, nothing installed from tuxpaint-data), dpkg-deb,
# rsvg-convert (Debian librsvg2-bin, installed if missing and root), python3 + Pillow.
set -euo pipefail
SECONDS=0

OUT="${1:-$HOME/.cache/fill-line-gaps/eval/tuxpaint}"
VERSION="tuxpaint-eval v1"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
exit_if_prepared "$OUT" "$VERSION" "eval set"

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
find_python_with_pillow

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

DEB="$(deb_download "$WORK" tuxpaint-data)"
dpkg-deb -x "$DEB" "$WORK/x"
PKGVER="$(dpkg-deb -f "$DEB" Version)"
SHARE="$WORK/x/usr/share/tuxpaint"
DOC="$WORK/x/usr/share/doc/tuxpaint-data"
STAGE="$WORK/stage"
mkdir -p "$STAGE"

"$PY" - "$SHARE" "$STAGE" "$PKGVER" <<'PYEOF'
import os, subprocess, sys
from PIL import Image, ImageChops, ImageFilter
from sheets import write_tsv

share, stage, pkgver = sys.argv[1:4]
EXCLUDE_PREFIX = ("frame_", "grid_", "chessboard")   # frames, plain grids, label-only overlay

def to_grey(im):
    """Composite over white paper, then darkness = min channel (coloured lines stay dark)."""
    im = im.convert("RGBA")
    im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
    r, g, b = im.convert("RGB").split()
    return ImageChops.darker(ImageChops.darker(r, g), b)

def stats(g):
    n = g.width * g.height
    h = g.histogram()
    white = sum(h[230:]) / n
    ink = sum(h[:128]) / n
    if white < 0.75:                       # photo / filled art: skip the costlier tests
        return white, ink, float("nan"), float("nan")
    line = g.point(lambda v: 255 if v < 128 else 0)
    # mid-tone pixels (60..229) farther than 3 px from any dark (<128) line pixel
    far = line.filter(ImageFilter.BoxBlur(3)).point(lambda v: 255 if v == 0 else 0)
    mid = g.point(lambda v: 255 if 60 <= v < 230 else 0)
    midfar = ImageChops.multiply(mid, far).histogram()[255] / n
    # solid dark blobs: the whole 15x15 window is dark
    solid = line.filter(ImageFilter.BoxBlur(7)).histogram()[255] / n
    return white, ink, midfar, solid

cands = {}
for sub in ("starters", "templates"):
    d = os.path.join(share, sub)
    for f in sorted(os.listdir(d)):
        stem, ext = os.path.splitext(f)
        ext = ext.lower()
        if ext not in (".svg", ".png", ".jpg", ".jpeg"):
            continue
        key = (sub, stem)
        if key in cands and ext != ".svg":
            continue                      # prefer the .svg of a starter
        cands[key] = os.path.join(d, f)

kept, rejected = [], []
for (sub, stem), path in sorted(cands.items()):
    rel = os.path.relpath(path, os.path.dirname(share))
    if "-back" in stem or stem.startswith(EXCLUDE_PREFIX):
        rejected.append((rel, "name (frame/grid/background layer)"))
        continue
    if path.endswith(".svg"):
        tmp = os.path.join(stage, ".render.png")
        subprocess.run(["rsvg-convert", "-w", "1024", "-h", "1024", "-a", "-o", tmp, path],
                       check=True)
        g = to_grey(Image.open(tmp)); os.remove(tmp)
    else:
        g = to_grey(Image.open(path))
        if not 768 <= max(g.size) <= 1024:
            s = 1024 / max(g.size)
            g = g.resize((round(g.width * s), round(g.height * s)), Image.LANCZOS)
    white, ink, midfar, solid = stats(g)
    st = f"white={white:.3f} ink={ink:.3f} midtone_off_line={midfar:.4f} solid={solid:.4f}"
    why = []
    if white < 0.75: why.append("paper<0.75")
    elif midfar > 0.01: why.append("midtones>0.01")
    elif solid > 0.04: why.append("solid>0.04")
    if ink < 0.003: why.append("ink<0.003")
    if why:
        rejected.append((rel, ",".join(why) + " " + st))
        continue
    name = f"{stem}.png"
    g.save(os.path.join(stage, name))
    kept.append((name, rel, f"{g.width}x{g.height}", st))

write_tsv(os.path.join(stage, "MANIFEST.tsv"), f"file\tsource (tuxpaint-data {pkgver})\tsize\tstats", kept)
write_tsv(os.path.join(stage, "rejected.tsv"), "source\treason", rejected)
print(f"kept {len(kept)}, rejected {len(rejected)}", file=sys.stderr)
PYEOF

cp "$DOC/copyright" "$STAGE/COPYRIGHT.tuxpaint-data"
zcat -f "$DOC/AUTHORS.txt.gz" > "$STAGE/AUTHORS.tuxpaint-data.txt" 2>/dev/null || true

N="$(install_set "$STAGE" "$OUT" "$VERSION" "drawings from tuxpaint-data $PKGVER")"
echo "wrote $N drawings to $OUT in ${SECONDS}s (rejected: $OUT/rejected.tsv)"
