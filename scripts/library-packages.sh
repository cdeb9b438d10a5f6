#!/usr/bin/env bash
# Packs the four library packages and checks them as a new app gets them.
#
#   scripts/library-packages.sh OUT_DIR
#
# Packs ProbeOps.Migrate, .PostgreSql, .Sqlite and .Hosting into OUT_DIR/packages (with their symbol
# packages) and checks each package's metadata: id, version, description, licence, repository, readme,
# tags. Then writes a new ASP.NET app in OUT_DIR/app that references the packages (and nothing of this
# repository's source) as the README's "Use it from .NET" shows: migrate on start-up and a health check,
# restores it into a packages folder of its own (so nothing cached from an earlier pack is used), builds
# it, runs it on SQLite, and waits for /health to answer Healthy with the migration applied.
# Prints "library-packages: ok" last and exits 0, or says what failed and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/library-packages.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
packages="$out/packages"
app="$out/app"
ids=(ProbeOps.Migrate ProbeOps.Migrate.PostgreSql ProbeOps.Migrate.Sqlite ProbeOps.Migrate.Hosting)

fail() { printf 'library-packages: %s\n' "$*" >&2; exit 1; }

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo_root/Directory.Build.props")"
[[ -n "$version" ]] || fail "no <Version> in Directory.Build.props"

rm -rf "$packages" "$app"
for id in "${ids[@]}"; do
  dotnet pack "$repo_root/src/$id" -c Release -o "$packages" --nologo -v quiet >/dev/null ||
    fail "dotnet pack $id failed"
done

# What a package page shows comes from the .nuspec inside the package.
for id in "${ids[@]}"; do
  package="$packages/$id.$version.nupkg"
  [[ -f "$package" ]] || fail "$package was not written"
  [[ -f "$packages/$id.$version.snupkg" ]] || fail "$id has no symbol package"
  entries="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$package")"
  for entry in "$id.nuspec" README.md "lib/net10.0/$id.dll"; do
    grep -qxF "$entry" <<<"$entries" || fail "$package does not carry $entry"
  done
  nuspec="$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$package" "$id.nuspec")"
  for element in "<id>$id</id>" "<version>$version</version>" '<description>' '<license type="expression">' \
    '<repository type="git"' '<readme>README.md</readme>' '<tags>'; do
    grep -qF "$element" <<<"$nuspec" || fail "$id's nuspec lacks $element"
  done
done

mkdir -p "$app/migrations"
# A new app, not a project of this repository: these stop MSBuild's search for the repository's own build and
# central package files in the folders above.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo '<Project />' >"$app/$file"
done
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="probeops-local" value="$packages" />
  </packageSources>
</configuration>
XML
cat >"$app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <RestorePackagesPath>$out/nuget-packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ProbeOps.Migrate.Hosting" Version="$version" />
    <PackageReference Include="ProbeOps.Migrate.Sqlite" Version="$version" />
  </ItemGroup>
</Project>
XML
cat >"$app/Program.cs" <<'CS'
using ProbeOps.Migrate;

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddProbeOpsMigrate(o => o.UseSqlite(builder.Configuration["Database"]!).FromDirectory("migrations"))
    .MigrateOnStartup();
builder.Services.AddHealthChecks().AddProbeOpsMigrate();
var app = builder.Build();
app.MapHealthChecks("/health");
app.Run();
CS
cat >"$app/migrations/20250101_create_users.sql" <<'SQL'
-- revision: 20250101_create_users
-- down_revision: none

-- migrate:upgrade
CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
SQL

dotnet build "$app" -c Release -o "$app/bin/out" --nologo -v quiet >"$out/app-build.log" 2>&1 ||
  { cat "$out/app-build.log" >&2; fail "the new app does not build against the packages"; }
grep -q "ProbeOps.Migrate.Hosting/$version" "$app/obj/project.assets.json" ||
  fail "the app did not restore ProbeOps.Migrate.Hosting $version from the packages"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$app" && Database="sqlite:$app/app.db" ASPNETCORE_URLS="http://127.0.0.1:$port" \
  exec dotnet bin/out/App.dll >"$out/app-run.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
# Polls until the app answers (at most 2 minutes) or exits; prints the body of /health.
health="$(python3 - "$port" "$pid" <<'PY'
import os, sys, time, urllib.error, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the app exited before it answered")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
            print(response.read().decode()); sys.exit(0)
    except urllib.error.HTTPError as error:
        print(error.read().decode()); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("the app did not answer within 2 minutes")
PY
)" || { cat "$out/app-run.log" >&2; fail "no answer from the app's /health"; }
[[ "$health" == "Healthy" ]] || { cat "$out/app-run.log" >&2; fail "/health answered '$health', expected Healthy"; }
kill "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
[[ -f "$app/app.db" ]] || fail "the app did not create its SQLite database"

echo "library-packages: ${ids[*]} $version packed; a new app built on them migrated on start-up and reported Healthy"
echo "library-packages: ok"
