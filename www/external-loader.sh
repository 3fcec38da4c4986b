#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml): moves Trunk's generated inline module loader out of
# index.html into loader-<hash>.js next to it, so the Content-Security-Policy can forbid
# inline scripts (script-src 'self'). The loader's code is Trunk's, unchanged.
set -euo pipefail
html="${TRUNK_STAGING_DIR:?run by trunk}/index.html"
base="${TRUNK_PUBLIC_URL:-/}"
[[ "$base" == */ ]] || base="$base/"
open='<script type="module">'
grep -qF "$open" "$html" || exit 0

body="$(mktemp)"
rest="$(mktemp)"
trap 'rm -f "$body" "$rest"' EXIT
# Split index.html into: the page with a placeholder where the loader was, and the loader.
awk -v open="$open" -v body="$body" '
    !moved && !inside && index($0, open) {
        at = index($0, open)
        printf "%s@@LOADER@@", substr($0, 1, at - 1)
        $0 = substr($0, at + length(open))
        inside = 1
    }
    inside {
        end = index($0, "</script>")
        if (end) {
            printf "%s", substr($0, 1, end - 1) > body
            print substr($0, end + length("</script>"))
            inside = 0
            moved = 1
        } else {
            print > body
        }
        next
    }
    { print }
' "$html" > "$rest"

hash="$(sha256sum "$body" | cut -c1-16)"
name="loader-$hash.js"
cp "$body" "$TRUNK_STAGING_DIR/$name"
chmod 644 "$TRUNK_STAGING_DIR/$name"
tag="<script type=\"module\" src=\"$base$name\"></script>"
awk -v tag="$tag" '{ i = index($0, "@@LOADER@@"); if (i) $0 = substr($0, 1, i - 1) tag substr($0, i + 10); print }' "$rest" > "$html"
