#!/usr/bin/env bash
# The .NET tool and hosted start-up, measured in one run on one machine; writes the last section of bench/RESULTS.md.
#
#   bench/dotnet.sh [RUNS]     (default 20 runs of each)
#
# 1. The installed tool against the native executable built by hand: scripts/tool-package.sh packs and installs
#    the tool; `dotnet publish -r RID` builds the executable by hand. hyperfine times `--version` and a no-op
#    `upgrade` of a SQLite file with both, in rounds that alternate which runs first (one hyperfine block
#    each would give the first one the machine's settling time). Target: equal within noise.
# 2. Hosted start-up: the ASP.NET example (examples/aspnet, as the Release build of the solution left it) from process start to its first 200,
#    bare (no ProbeOps.Migrate services) against migrate-on-start-up with nothing pending, on SQLite and on a
#    throwaway PostgreSQL cluster (scripts/lib/pg-cluster.sh); then the same app as it is deployed,
#    `dotnet publish -p:PublishReadyToRun=true`, and as the example publishes by default, Native AOT. Target: at most
#    50 ms added (medians).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$bench_dir/.." && pwd)"
runs="${1:-20}"
work="$bench_dir/.work/dotnet"
rm -rf "$work"
mkdir -p "$work"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "bench: no native build for $(uname -m)" >&2; exit 1 ;;
esac

bash "$repo_root/scripts/tool-package.sh" "$work/tool-package" >"$work/tool-package.log" 2>&1 ||
  { cat "$work/tool-package.log" >&2; exit 1; }
installed="$work/tool-package/tool/probeops-migrate"
dotnet publish "$repo_root/src/ProbeOps.Migrate.Cli" -c Release -r "$rid" -o "$work/native" --nologo -v quiet >"$work/publish.log" 2>&1 ||
  { cat "$work/publish.log" >&2; exit 1; }
by_hand="$work/native/probeops-migrate"
same_binary=no
cmp -s "$(readlink -f "$installed")" "$by_hand" && same_binary=yes
dotnet publish "$repo_root/examples/aspnet" -c Release -r "$rid" --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true \
  -o "$work/aspnet-r2r" --nologo -v quiet >"$work/publish-aspnet.log" 2>&1 || { cat "$work/publish-aspnet.log" >&2; exit 1; }
app_r2r="$work/aspnet-r2r/ProbeOps.Migrate.Example.Web.dll"
dotnet publish "$repo_root/examples/aspnet" -c Release -r "$rid" -o "$work/aspnet-aot" --nologo -v quiet >"$work/publish-aspnet-aot.log" 2>&1 ||
  { cat "$work/publish-aspnet-aot.log" >&2; exit 1; }
app_aot="$work/aspnet-aot/ProbeOps.Migrate.Example.Web"
# The example as `dotnet build ProbeOps.Migrate.slnx -c Release` left it.
app="$repo_root/examples/aspnet/bin/Release/net10.0/ProbeOps.Migrate.Example.Web.dll"
[[ -f "$app" ]] || { echo "bench: build the solution first (dotnet build ProbeOps.Migrate.slnx -c Release)" >&2; exit 1; }

# 1. Tool start-up and a no-op upgrade.
project="$work/project"
mkdir -p "$project/migrations"
cp "$repo_root/examples/aspnet/migrations/"*.sql "$project/migrations/"
(cd "$project" && "$by_hand" upgrade --database sqlite:app.db --migrations migrations >/dev/null)
declare -A command=([installed]="$installed" ["by hand"]="$by_hand")
rounds=5
for ((round = 0; round < rounds; round++)); do
  first=installed second="by hand"
  if ((round % 2)); then first="by hand" second=installed; fi
  (cd "$project" && hyperfine -N --warmup 2 --runs "$(((runs + rounds - 1) / rounds))" --export-json "$work/tool-$round.json" \
    -n "$first --version" "${command[$first]} --version" \
    -n "$second --version" "${command[$second]} --version" \
    -n "$first upgrade (no-op)" "${command[$first]} upgrade --database sqlite:app.db --migrations migrations" \
    -n "$second upgrade (no-op)" "${command[$second]} upgrade --database sqlite:app.db --migrations migrations" >&2)
done

# 2. Hosted start-up, SQLite then PostgreSQL.
python3 "$bench_dir/hosted_startup.py" "$app" "sqlite:$work/hosted.db" "$runs" >"$work/hosted-sqlite.json"
pg_cluster_log_name=bench
# shellcheck source=../scripts/lib/pg-cluster.sh
source "$repo_root/scripts/lib/pg-cluster.sh"
pg_cluster_stop_on_exit
pg_cluster_ensure_bin
pg_cluster_start
python3 "$bench_dir/hosted_startup.py" "$app" "postgres://postgres:$password@127.0.0.1:$port/postgres" "$runs" >"$work/hosted-postgresql.json"
python3 "$bench_dir/hosted_startup.py" "$app_r2r" "sqlite:$work/hosted-r2r.db" "$runs" >"$work/hosted-r2r-sqlite.json"
python3 "$bench_dir/hosted_startup.py" "$app_r2r" "postgres://postgres:$password@127.0.0.1:$port/postgres" "$runs" >"$work/hosted-r2r-postgresql.json"
python3 "$bench_dir/hosted_startup.py" "$app_aot" "sqlite:$work/hosted-aot.db" "$runs" >"$work/hosted-aot-sqlite.json"
python3 "$bench_dir/hosted_startup.py" "$app_aot" "postgres://postgres:$password@127.0.0.1:$port/postgres" "$runs" >"$work/hosted-aot-postgresql.json"

python3 - "$work" "$bench_dir/RESULTS.md" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$rid" "$runs" "$same_binary" <<'PY'
import json, os, statistics, sys, datetime
work, results, load_start, load_end, rid, runs, same_binary = sys.argv[1:]
marker = "<!-- bench/dotnet.sh -->"
tool = {}
for round_file in sorted(f for f in os.listdir(work) if f.startswith("tool-") and f.endswith(".json")):
    for r in json.load(open(os.path.join(work, round_file)))["results"]:
        tool.setdefault(r["command"], {"times": []})["times"].extend(r["times"])
def ms(r): return f"{statistics.median(r['times']) * 1000:.1f} ms (spread {min(r['times']) * 1000:.1f}-{max(r['times']) * 1000:.1f})"
lines = [marker, "", "## The .NET tool and hosted start-up", "",
         f"Written by `bench/dotnet.sh` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {runs} runs of each; "
         f"load average {load_start} at the start, {load_end} at the end (2 logical CPUs, shared).", "",
         f"| `probeops-migrate` ({rid}) | installed with `dotnet tool install` | native executable built by hand | ratio |", "|---|---|---|---|"]
for what in ["--version", "upgrade (no-op)"]:
    a, b = tool[f"installed {what}"], tool[f"by hand {what}"]
    ratio = statistics.median(a["times"]) / statistics.median(b["times"])
    lines.append(f"| `{what}` (SQLite) | {ms(a)} | {ms(b)} | {ratio:.2f} |")
same = "byte for byte the same file as" if same_binary == "yes" else "NOT the same file as"
lines += ["", f"Target: equal within noise. The installed command is a link to a native executable {same} the one built by hand; "
          "the runs alternate in rounds, so neither gets the machine's settling time alone.", "",
          "| ASP.NET example, process start to first 200 | bare app | migrate on start-up, nothing pending | added (medians) |", "|---|---|---|---|"]
builds = {"": "build output (JIT)", "r2r-": "published ReadyToRun", "aot-": "published Native AOT (the example's `dotnet publish -r RID`)"}
for build, db in [(b, d) for b in builds for d in ("sqlite", "postgresql")]:
    t = json.load(open(os.path.join(work, f"hosted-{build}{db}.json")))
    off, on = statistics.median(t["Off"]), statistics.median(t["Apply"])
    how = builds[build]
    lines.append(f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'}, {how} | {off:.0f} ms ({min(t['Off']):.0f}-{max(t['Off']):.0f}) | "
                 f"{on:.0f} ms ({min(t['Apply']):.0f}-{max(t['Apply']):.0f}) | {on - off:+.0f} ms {'(target met)' if on - off <= 50 else '(target missed)'} |")
lines += ["", "Target: at most 50 ms added, between the same app published the same way. Runs alternate bare and migrating, "
          "so a change in load falls on both. On the JIT and ReadyToRun rows the added time is the runtime's first use of "
          "the engine and of Npgsql or SQLite (bench/PROFILE.md, \"Hosted start-up\").", ""]
text = open(results, encoding="utf-8").read() if os.path.exists(results) else ""
text = text.split(marker)[0].rstrip("\n") + "\n\n" + "\n".join(lines)
open(results, "w", encoding="utf-8").write(text)
print("\n".join(lines))
PY
