#!/usr/bin/env bash
# Allocation gate: runs the hot paths (TryAdd, serialize a batch, send a batch through HttpBatchSink) under a short in-process
# BenchmarkDotNet job with the memory diagnoser and fails (exit 1) when one allocates more than its budget:
# 0 B per TryAdd, 0 B per serialized batch, 2 KiB per batch of 1,000 events sent by the HTTP sink (justified in
# benchmarks/HighPerfBatch.Benchmarks/AllocationGate.cs). The BenchmarkDotNet report (markdown + JSON) is kept in
# benchmarks/results/ci/ (gitignored: a CI artefact). Takes about 30 s after the build.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=benchmarks/results/ci
mkdir -p "$out"
dotnet build benchmarks/HighPerfBatch.Benchmarks -c Release -v quiet -nologo || { echo "alloc-gate: build failed"; exit 1; }
dotnet run -c Release --no-build --project benchmarks/HighPerfBatch.Benchmarks -- --alloc-gate "$out" 2>&1 | tee "$out/alloc-gate.log"
status=${PIPESTATUS[0]}
echo "alloc-gate: report in $out/results/ (exit $status)"
exit "$status"
