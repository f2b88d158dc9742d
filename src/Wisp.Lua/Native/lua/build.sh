#!/usr/bin/env bash
# Builds the Lua that Wisp runs: Lua 5.4 from Debian's lua5.4 source package (trixie), with the project's patches:
# integral-floats.patch (a float with an integral value prints without ".0", as the reference runtime prints it) and
# long-match.patch (a long pattern match calls the preemption hook, so the watchdog can end it: docs/lua.md).
# Usage: build.sh OUT_DIR, which leaves OUT_DIR/libwisplua54.so. Where it cannot build (not Linux, no gcc, patch or
# apt-get, no package registry) it says why and exits 0: Wisp then runs on KeraLua's own library (docs/lua.md).
set -uo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
lib="$out/libwisplua54.so"
patches=(integral-floats.patch long-match.patch)
up_to_date() {
    [ -f "$lib" ] && [ "$lib" -nt "$here/build.sh" ] || return 1
    for p in "${patches[@]}"; do [ "$lib" -nt "$here/$p" ] || return 1; done
}
skip() { echo "wisp-lua: $1: Wisp will use KeraLua's Lua library (floats with integral values print with .0)"; exit 0; }

up_to_date && exit 0
[ "$(uname -s)" = Linux ] || skip "not Linux"
for tool in gcc patch apt-get tar flock; do command -v "$tool" >/dev/null || skip "$tool not found"; done
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
up_to_date && exit 0   # built by another build while this one waited

work="$out/work"
rm -rf "$work"
mkdir -p "$work/sources" "$work/lists/partial" "$work/cache/archives/partial"
cat > "$work/sources/wisp-lua.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt=(apt-get -qq -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/sources" -o "Dir::State::Lists=$work/lists"
     -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
"${apt[@]}" update >"$work/apt.log" 2>&1 || skip "apt-get update failed (see $work/apt.log)"
(cd "$work" && "${apt[@]}" source --download-only lua5.4 >>"$work/apt.log" 2>&1) || skip "apt-get source lua5.4 failed (see $work/apt.log)"
tar xzf "$work"/lua5.4_*.orig.tar.gz -C "$work" || skip "the source archive does not unpack"
src=$(ls -d "$work"/lua-5.4.*)
for p in "${patches[@]}"; do patch -s -p1 -d "$src" < "$here/$p" || skip "$p does not apply to $(basename "$src")"; done
files=()
for f in "$src"/src/*.c; do case "$(basename "$f")" in lua.c|luac.c) ;; *) files+=("$f") ;; esac; done
gcc -O2 -fPIC -shared -DLUA_USE_LINUX -o "$lib.tmp" "${files[@]}" -lm -ldl || skip "gcc failed"
mv "$lib.tmp" "$lib"
echo "wisp-lua: built $lib from $(basename "$src") with ${patches[*]}"
rm -rf "$work"
