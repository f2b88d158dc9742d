#!/usr/bin/env bash
# Runs the Coyote systematic tests alone: restores the coyote CLI (a local tool, .config/dotnet-tools.json),
# builds the project, rewrites the test assembly and the Wisp.Core.dll next to it (the build's AfterBuild
# target already does this; it is repeated here explicitly, and is a no-op on rewritten assemblies), then runs
# the tests on the rewritten output. Extra arguments go to `dotnet test` (e.g. --filter MailboxTests).
# Environment: WISP_COYOTE_ITERATIONS=N runs every test N iterations; WISP_COYOTE_SEED=S explores other
# schedules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 COYOTE_CLI_TELEMETRY_OPTOUT=1
configuration=${CONFIGURATION:-Debug}
dotnet tool restore
dotnet build -c "$configuration"
out=$(dotnet msbuild -getProperty:OutDir -p:Configuration="$configuration")
DOTNET_ROLL_FORWARD=Major dotnet tool run coyote -- rewrite "$here/$out/rewrite.coyote.json"
dotnet test -c "$configuration" --no-build "$@"
