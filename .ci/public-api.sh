#!/usr/bin/env bash
# Refreshes src/HighPerfBatch/PublicAPI.Unshipped.txt from the code: every public symbol of the runtime that is not in
# PublicAPI.Shipped.txt is written there by the analyzer's own code fix (RS0016), so the file is exactly what the
# PublicApiAnalyzers expect. Run it after merging branches that add, change or remove public API, review the diff
# (it is the public API change), commit it. At a release, move the lines of Unshipped.txt into Shipped.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

project=src/HighPerfBatch/HighPerfBatch.csproj
unshipped=src/HighPerfBatch/PublicAPI.Unshipped.txt

# Start from nothing unshipped, so removed or changed API leaves no stale line (RS0017), then let the code fix add all.
printf '#nullable enable\n' > "$unshipped"
dotnet format analyzers "$project" --diagnostics RS0016 --severity warn -v q || true
# The code fix adds lines in batches; sort them (header first) so the file is stable and diffs stay small.
{ echo '#nullable enable'; grep -v '^#nullable enable$' "$unshipped" | LC_ALL=C sort -u; } > "$unshipped.tmp"
mv "$unshipped.tmp" "$unshipped"

dotnet build "$project" -c Release -nologo -v:q
echo "public API: $(grep -vc '^#' "$unshipped") unshipped line(s) in $unshipped"
