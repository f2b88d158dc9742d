#!/usr/bin/env bash
# Generates the C# API reference (Markdown, one page per type) from the XML documentation comments of Wisp.Core,
# Wisp.Hosting, Wisp.Lua and Wisp.Cluster into docs/api/reference/, with docfx (a .NET tool; installed here if missing).
set -euo pipefail
cd "$(dirname "$0")"
command -v docfx >/dev/null || export PATH="$PATH:$HOME/.dotnet/tools"
command -v docfx >/dev/null || dotnet tool install -g docfx --version 2.81.0
rm -rf reference
docfx metadata docfx.json
echo "API reference: $(pwd)/reference ($(ls reference | wc -l) pages; start at Wisp.md)"
