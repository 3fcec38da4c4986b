# shellcheck shell=bash
# Shared by the data scripts in this folder (sourced): the "already prepared" check and the
# installs of what they need from Debian or PyPI.

# Exits the calling script when OUT holds a complete set written by the same VERSION: its
# stamp matches and every file MANIFEST.tsv lists is present. FORCE=1 skips the check.
#   exit_if_prepared OUT VERSION WHAT
exit_if_prepared() {
  local out="$1" version="$2" what="$3" name n=0 ok=1
  [[ "${FORCE:-0}" != 1 && -f "$out/.complete" && -f "$out/MANIFEST.tsv" \
     && "$(head -n1 "$out/.complete")" == "$version" ]] || return 0
  while IFS=$'\t' read -r name _; do
    [[ "$name" == file || -z "$name" ]] && continue
    if [[ -f "$out/$name" ]]; then n=$((n + 1)); else ok=0; fi
  done < "$out/MANIFEST.tsv"
  if [[ $ok == 1 && $n -gt 0 ]]; then
    echo "$what already prepared: $n files in $out (FORCE=1 to rebuild)"
    exit 0
  fi
}

SUDO=""; [[ $EUID -ne 0 ]] && command -v sudo >/dev/null && SUDO="sudo"

apt_install() {
  $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$@" >/dev/null; }
}

# Downloads the Debian PACKAGE into DIR without installing it (updating the package lists once
# if apt-get cannot find it) and prints the path of its .deb.
#   deb_download DIR PACKAGE
deb_download() {
  local dir="$1" package="$2" opts=(-q)
  [[ $EUID -eq 0 ]] && opts+=(-o APT::Sandbox::User=root)
  ( cd "$dir" && { apt-get download "${opts[@]}" "$package" >/dev/null \
      || { $SUDO apt-get update -qq && apt-get download "${opts[@]}" "$package" >/dev/null; }; } )
  ls "$dir/$package"_*.deb
}

# Installs the npm PACKAGES into a temporary folder removed on exit (npm itself from Debian when
# missing: tests/run.sh prepares the character check before the web tools are installed). Sets
# WORK (that folder), NM (its node_modules) and STAGE (an empty folder in it for the set being
# built).
#   npm_into_temp PACKAGE@VERSION...
npm_into_temp() {
  command -v npm >/dev/null || apt_install nodejs npm
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --prefix "$WORK/npm" "$@" >/dev/null
  NM="$WORK/npm/node_modules"
  STAGE="$WORK/stage"
  mkdir -p "$STAGE"
}

# The Python these scripts run imports sheets.py from this folder, without leaving bytecode here.
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1

# Sets PY to a Python 3 with Pillow, installing Pillow (pip, else Debian) when none has it.
find_python_with_pillow() {
  local p
  PY=""
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import PIL' 2>/dev/null; then PY="$p"; return 0; fi
  done
  if python3 -m pip install -q pillow 2>/dev/null && python3 -c 'import PIL'; then PY=python3
  else apt_install python3-pil; PY=/usr/bin/python3; fi
}

# Moves the staged set into OUT: drops only the files a previous run listed there, then moves
# the new ones in and writes the stamp (VERSION, then NOTE) last. Prints the file count.
#   install_set STAGE OUT VERSION NOTE
install_set() {
  local stage="$1" out="$2" version="$3" note="$4" name
  mkdir -p "$out"
  rm -f "$out/.complete"
  if [[ -f "$out/MANIFEST.tsv" ]]; then
    while IFS=$'\t' read -r name _; do
      [[ "$name" == file || -z "$name" || "$name" == */* ]] && continue
      rm -f "$out/$name"
    done < "$out/MANIFEST.tsv"
  fi
  mv -f "$stage"/* "$out"/
  printf '%s\n%s\n' "$version" "$note" > "$out/.complete"
  echo "$(($(wc -l < "$out/MANIFEST.tsv") - 1))"
}
