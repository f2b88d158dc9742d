#!/usr/bin/env bash
# CI smoke for the benchmarks: builds both projects in Release, checks that the BenchmarkDotNet suite loads
# and lists its benchmarks, and runs the workload harness in --quick mode (tiny sizes, 1 launch, < 60 s).
# Extra arguments go to the harness (e.g. --runtimes wisp). Exit code: non-zero if a build or a launch failed.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Wisp.Benchmarks/Wisp.Benchmarks.csproj -c Release --nologo -v q
dotnet build Wisp.Workloads/Wisp.Workloads.csproj -c Release --nologo -v q

echo "== BenchmarkDotNet suite (listed, not run) =="
dotnet Wisp.Benchmarks/bin/Release/net10.0/Wisp.Benchmarks.dll --list flat

echo "== workload harness, --quick =="
dotnet Wisp.Workloads/bin/Release/net10.0/Wisp.Workloads.dll --quick "$@"
