#!/usr/bin/env bash
# Packs the .NET tool as users get it and checks the installed command.
#
#   scripts/tool-package.sh OUT_DIR
#
# Writes to OUT_DIR/packages: the pointer package, the Native AOT package of this machine's platform
# (linux-x64 or linux-arm64) and the framework-dependent fallback (RID "any"). Then installs the tool from
# that folder into OUT_DIR/tool with `dotnet tool install --tool-path`, and checks that the installed
# command is the native executable (an ELF file with no managed entry assembly beside it), that
# `--version` prints the packed version, and that it applies a SQLite migration. The native package is
# the one Native AOT build of a CI run: OUT_DIR/tool/probeops-migrate is what the process tests run next.
# Prints "tool-package: ok" last and exits 0, or says what failed and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/tool-package.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
packages="$out/packages"
tool="$out/tool"
project="$repo_root/src/ProbeOps.Migrate.Cli"

fail() { printf 'tool-package: %s\n' "$*" >&2; exit 1; }

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) fail "no native tool package for $(uname -m)" ;;
esac

rm -rf "$packages" "$tool" "$out/publish-any" "$out/publish-$rid"
dotnet pack "$project" -c Release -o "$packages" --nologo
# Each package is packed from a publish directory of its own: a package holds everything in it.
dotnet pack "$project" -c Release -r any -p:PublishAot=false -p:PublishDir="$out/publish-any/" -o "$packages" --nologo
dotnet pack "$project" -c Release -r "$rid" -p:PublishDir="$out/publish-$rid/" -o "$packages" --nologo

dotnet tool install --tool-path "$tool" --add-source "$packages" ProbeOps.Migrate.Cli

command="$tool/probeops-migrate"
[[ -e "$command" ]] || fail "the installed command $command does not exist"
# A framework-dependent tool installs a launcher (an apphost, itself an ELF file) that starts the runtime on
# the tool's .dll; the native tool installs a link to the executable in the platform's package.
[[ -L "$command" ]] || fail "$command is a launcher, not a link to the native executable"
native="$(readlink -f "$command")"
[[ "$native" == */probeops.migrate.cli."$rid"/* ]] || fail "$command runs $native, not the $rid package's executable"
head -c 4 "$native" | od -An -c | tr -d ' \n' | grep -q '^177ELF$' || fail "$native is not an ELF executable"
if ls "$(dirname "$native")"/*.dll >/dev/null 2>&1; then
  fail "$(dirname "$native") holds managed assemblies: the installed command is not the native executable"
fi

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo_root/Directory.Build.props")"
printed="$("$command" --version)"
[[ "$printed" == "$version"* ]] || fail "--version printed '$printed', expected $version"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/migrations"
cat >"$work/migrations/20250101_create_users.sql" <<'SQL'
-- revision: 20250101_create_users
-- down_revision: none

-- migrate:upgrade
CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
SQL
(cd "$work" && "$command" upgrade --database sqlite:app.db --migrations migrations) ||
  fail "the installed command could not upgrade a SQLite database"
status="$(cd "$work" && "$command" status --database sqlite:app.db --migrations migrations)"
grep -q '20250101_create_users' <<<"$status" || fail "status after the upgrade does not list the revision: $status"

echo "tool-package: installed $native ($rid, native), --version $printed"
echo "tool-package: ok"
