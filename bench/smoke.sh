#!/usr/bin/env bash
# CI smoke for the benchmarks: builds the projects in Release, checks that the BenchmarkDotNet suite loads
# and lists its benchmarks, and runs the workload harness and the two-node harness in --quick mode (tiny sizes,
# 1 launch, about a minute each; every child of the two-node harness has a deadline and is killed past it).
# Extra arguments go to the workload harness (e.g. --runtimes wisp). Exit code: non-zero if a build or a launch failed.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Wisp.Benchmarks/Wisp.Benchmarks.csproj -c Release --nologo -v q
dotnet build Wisp.Workloads/Wisp.Workloads.csproj -c Release --nologo -v q
dotnet build Wisp.Remote/Wisp.Remote.csproj -c Release --nologo -v q

echo "== BenchmarkDotNet suite (listed, not run) =="
dotnet Wisp.Benchmarks/bin/Release/net10.0/Wisp.Benchmarks.dll --list flat

# A harness that parsed its options wrong could measure nothing and still exit 0: each must list a launch.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
measured() { grep -Eq '^  \[[a-z0-9-]+ 1/1\] [a-z]' "$out" || { echo "smoke: $1 measured nothing"; exit 1; }; }

echo "== workload harness, --quick =="
dotnet Wisp.Workloads/bin/Release/net10.0/Wisp.Workloads.dll --quick "$@" | tee "$out"
measured "the workload harness"

echo "== two nodes on loopback (Wisp vs Akka.NET remote vs Proto.Remote), --quick =="
dotnet Wisp.Remote/bin/Release/net10.0/Wisp.Remote.dll --quick | tee "$out"
measured "the two-node harness"
