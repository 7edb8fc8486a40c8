#!/usr/bin/env bash
# The package test: packs HighPerfBatch into a local folder feed with a version no earlier run used, then builds and
# runs tests/HighPerfBatch.PackageTests, a consumer that references the package by that version (not the project).
# Prints "package test: passed" or "package test: failed" as its last line; exits 0 or 1.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

feed="$PWD/artifacts/package-feed"          # named by tests/HighPerfBatch.PackageTests/nuget.config
consumer=tests/HighPerfBatch.PackageTests
suffix="pkgtest.$(date -u +%Y%m%d%H%M%S).$$"
status=0

fail() { echo "package test: $1"; echo "package test: failed"; exit 1; }

version=$(dotnet msbuild src/HighPerfBatch/HighPerfBatch.csproj -getProperty:Version -p:VersionSuffix="$suffix" 2>/dev/null | tr -d '[:space:]')
[ -n "$version" ] || fail "could not read the package version"

# A fresh version per run, so NuGet's global cache can never serve an older pack; that cache entry is removed at exit.
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
trap 'rm -rf "${packages%/}/highperfbatch/$version"' EXIT

rm -rf "$feed" && mkdir -p "$feed"
echo "package test: packing HighPerfBatch $version into $feed"
dotnet pack src/HighPerfBatch/HighPerfBatch.csproj -c Release -o "$feed" -p:VersionSuffix="$suffix" -nologo -v:q \
    || fail "dotnet pack failed"
nupkg="$feed/HighPerfBatch.$version.nupkg"
[ -f "$nupkg" ] || fail "$nupkg was not produced"

echo "package test: building and running the consumer against HighPerfBatch $version"
rm -rf "$consumer/bin" "$consumer/obj"
dotnet build "$consumer" -c Release -p:HighPerfBatchVersion="$version" -nologo -v:q || fail "the consumer did not build"
dotnet "$consumer/bin/Release/net10.0/PackageConsumer.dll" "$nupkg" || status=1

# The README's quick start, pasted verbatim into a fresh app that references the same package: it must compile.
quickstart="$consumer/obj/readme-quickstart"
rm -rf "$quickstart" && mkdir -p "$quickstart"
awk '/^## Quick start/{f=1} f&&/^```csharp/{g=1;next} g&&/^```/{exit} g' README.md > "$quickstart/Program.cs"
cat > "$quickstart/ReadmeQuickStart.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="HighPerfBatch" Version="[$version]" />
  </ItemGroup>
</Project>
XML
if [ -s "$quickstart/Program.cs" ] && dotnet build "$quickstart" -c Release -nologo -v:q; then
    echo "package test: the README quick start compiles against the package"
else
    echo "package test: the README quick start does not compile against the package"
    status=1
fi

if [ "$status" -eq 0 ]; then echo "package test: passed"; else echo "package test: failed"; fi
exit "$status"
