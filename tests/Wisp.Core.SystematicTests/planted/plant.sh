#!/usr/bin/env bash
# Proves that the systematic tests can fail: for each planted bug (planted/bugs.py; default: all of them),
# builds a copy of src/Wisp.Core with the bug in a temporary folder (src/ is never touched), swaps it into the
# test output folder, rewrites it, runs the test meant to catch it, and reports whether Coyote found the bug and
# at which iteration. Ends by rebuilding the project, which puts the real Wisp.Core.dll back.
# Usage: tests/Wisp.Core.SystematicTests/planted/plant.sh [NAME...]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_ROLL_FORWARD=Major COYOTE_CLI_TELEMETRY_OPTOUT=1
out="$here/bin/Debug/net10.0"
logs=${PLANT_LOGS:-${TMPDIR:-/tmp}/wisp-planted}   # each one's build, rewrite and test logs are kept here
mkdir -p "$logs"
list=--list
names=("$@")
[ ${#names[@]} -eq 0 ] && mapfile -t names < <(python3 "$here/planted/bugs.py" $list | cut -d' ' -f1)

dotnet build "$here" -c Debug -v q -nologo > /dev/null || { echo "build failed"; exit 2; }
status=0
for name in "${names[@]}"; do
    test=$(python3 "$here/planted/bugs.py" $list | awk -v b="$name" '$1 == b { print $2 }')
    tmp=$(mktemp -d)
    mkdir -p "$tmp/src"
    cp "$root"/Directory.*.props "$tmp/"
    cp -r "$root/src/Wisp.Core" "$tmp/src/"
    rm -rf "$tmp/src/Wisp.Core/bin" "$tmp/src/Wisp.Core/obj"
    if ! python3 "$here/planted/bugs.py" "$name" "$tmp/src/Wisp.Core" \
        || ! dotnet build "$tmp/src/Wisp.Core" -c Debug -o "$tmp/out" -v q -nologo -p:TreatWarningsAsErrors=false > "$tmp/build.log"; then
        echo "$name: could not apply"; cp "$tmp/build.log" "$logs/$name.build.log" 2>/dev/null; rm -rf "$tmp"; status=1; continue
    fi
    cp "$tmp/out/Wisp.Core.dll" "$tmp/out/Wisp.Core.pdb" "$out/"
    if ! (cd "$here" && dotnet tool run coyote -- rewrite "$out/rewrite.coyote.json" > "$tmp/rewrite.log"); then
        echo "$name: rewrite failed"; cp "$tmp/rewrite.log" "$logs/$name.rewrite.log"; rm -rf "$tmp"; status=1; continue
    fi
    dotnet test "$here" --no-build --filter "FullyQualifiedName~$test" > "$tmp/test.log" 2>&1
    found=$(grep -m1 -o 'Coyote found a bug at iteration [0-9]*' "$tmp/test.log" | grep -o '[0-9]*$')
    if [ -n "$found" ]; then
        echo "$name: FOUND by $test at iteration $found: $(grep -m1 -A1 'Coyote found a bug' "$tmp/test.log" | tail -1 | cut -c1-160)"
    else
        echo "$name: NOT found by $test"; status=1
    fi
    cp "$tmp/test.log" "$logs/$name.test.log"
    rm -rf "$tmp"
done
dotnet build "$here" -c Debug -v q -nologo > /dev/null   # puts the real, rewritten Wisp.Core.dll back
echo "logs: $logs"
exit $status
