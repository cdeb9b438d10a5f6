#!/usr/bin/env python3
"""Writes the results page from one run of bench/run.sh.

    report.py RESULTS_DIR OUT.md [FAILED_ID...]

RESULTS_DIR holds, per scenario ID: ID.json (hyperfine export), ID.time (/usr/bin/time -v of one run),
ID.cmd (the command); machine.txt (key: value lines); bdn/results/*-report-github.md (BenchmarkDotNet).
Targets are the ones of the performance issue, checked against medians; a figure that misses is
reported as missed, never relaxed here.
"""
import datetime
import glob
import json
import os
import re
import sys

results_dir, out_path, failed = sys.argv[1], sys.argv[2], set(sys.argv[3:])
bench_dir = os.path.dirname(os.path.abspath(__file__))

machine = {}
with open(os.path.join(results_dir, "machine.txt"), encoding="utf-8") as f:
    for line in f:
        key, _, value = line.partition(":")
        machine[key.strip()] = value.strip()
main_n, big_n, mode = machine["main_n"], machine["big_n"], machine["mode"]


def load(scenario):
    path = os.path.join(results_dir, scenario + ".json")
    if scenario in failed or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        r = json.load(f)["results"][0]
    return r


def peak_mb(scenario):
    path = os.path.join(results_dir, scenario + ".time")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1)) * 1024 / 1e6 if m else None


def median(scenario):
    r = load(scenario)
    return r["median"] if r else None


def secs(value):
    if value is None:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.2f} s"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def times(value):
    return "n/a" if value is None else f"{value:.2f}×"


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------
n = main_n
floor1 = median(f"apply-psql1-{n}")
ours = median(f"apply-ours-{n}")
ours_each = median(f"apply-ourseach-{n}")
dbmate = median(f"apply-dbmate-{n}")
evolve_modes = [v for v in (median(f"apply-evolveeach-{n}"), median(f"apply-evolveall-{n}")) if v is not None]
evolve = min(evolve_modes) if evolve_modes else None
noop = median(f"noop-ours-{n}")
noop_dbmate = median(f"noop-dbmate-{n}")
noop_evolve = median(f"noop-evolve-{n}")
status = median(f"status-ours-{n}")
validate = median(f"validate-ours-{big_n}")
validate_mem = peak_mb(f"validate-ours-{big_n}") if validate is not None else None
lint = median(f"lint-ours-{big_n}")
version = median("startup-version")
help_ = median("startup-help")
dump = median(f"backup-pgdump-{n}")
sqlite_floor_big = median(f"scale-sqlite3-{big_n}")
sqlite_ours_big = median(f"scale-ourssqlite-{big_n}")
backup = median(f"backup-ours-{n}")
backfill_rows = int(machine.get("backfill_rows", "0"))
backfill_ours = median(f"backfill-ours-{backfill_rows}")
backfill_psql = median(f"backfill-psql-{backfill_rows}")


def rows_per_s(seconds):
    return None if seconds is None or seconds == 0 else backfill_rows / seconds


def check(*conditions):
    """'met' when every condition holds, 'missed' when any fails, 'not measured' when a figure is missing."""
    if any(c is None for c in conditions):
        return "**not measured** (scenario failed to run)"
    return "met" if all(conditions) else "**MISSED**"


def le(a, b):
    return None if a is None or b is None else a <= b


def lt(a, b):
    return None if a is None or b is None else a < b


def load_average(scenario):
    """The 1-minute load averages noted before each timed run of a scale scenario: 'median (min–max)'."""
    path = os.path.join(results_dir, scenario + ".load")
    if not os.path.exists(path):
        return "n/a"
    with open(path, encoding="utf-8") as f:
        loads = sorted(float(v) for v in f.read().split())
    if not loads:
        return "n/a"
    mid = loads[len(loads) // 2]
    return f"{mid:.1f} ({loads[0]:.1f}–{loads[-1]:.1f})"


# (label, scenario, floor scenario, highest ratio to the floor, highest peak memory in MB or None)
SCALE_ROWS = [
    ("no-op `upgrade`, {m} applied", "noopscale-upgrade-{m}", "noopscale-psql-{m}", 1.2, None),
    ("`status`, {m} applied", "noopscale-status-{m}", "noopscale-psql-{m}", 1.2, None),
    ("no-op `upgrade`, {b} applied", "noopscale-upgrade-{b}", "noopscale-psql-{b}", 2.0, 40),
    ("`status`, {b} applied", "noopscale-status-{b}", "noopscale-psql-{b}", 2.0, 40),
    ("`backup`, about 10 MB of rows", "backupscale-ours", "backupscale-pgdump", 1.05, None),
    ("`restore` of it", "restorescale-ours", "restorescale-pgrestore", 1.05, None),
    ("`drift --method recorded`, 2,000 tables", "driftscale-ours", "driftscale-pgdump", 0.5, None),
]
SCALE_FLOORS = {
    "noopscale-psql": "`psql -c 'SELECT 1'`",
    "backupscale-pgdump": "`pg_dump -Fc`",
    "restorescale-pgrestore": "`pg_restore --single-transaction`",
    "driftscale-pgdump": "`pg_dump --schema-only`",
}


def scale_section():
    if not glob.glob(os.path.join(results_dir, "*scale-*.cmd")):
        return ""
    lines = [
        "### At scale",
        "",
        "Each pair runs interleaved, one run of each per round (a warm-up round, then the rounds timed); the load is the "
        "1-minute load average noted before each timed run of the command: median (lowest–highest). On a machine "
        "loaded beyond its 2 CPUs a wall time waits for a CPU: compare the ratios, taken in the same rounds.",
        "",
        "| command | median | floor | floor median | × floor | target | peak RSS | load | verdict |",
        "|---|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for label, scenario, floor, limit, mem_limit in SCALE_ROWS:
        scenario, floor = scenario.format(m=main_n, b=big_n), floor.format(m=main_n, b=big_n)
        if not os.path.exists(os.path.join(results_dir, scenario + ".cmd")):
            continue
        ours, base, mem = median(scenario), median(floor), peak_mb(scenario)
        verdict = check(le(ratio(ours, base), limit), *([le(mem, mem_limit)] if mem_limit else []))
        target = f"≤ {limit}×" + (f", ≤ {mem_limit} MB" if mem_limit else "")
        lines.append(
            f"| {label.format(m=main_n, b=big_n)} | {secs(ours)} | {SCALE_FLOORS[re.sub(r'-[0-9]+$', '', floor)]} | {secs(base)} | "
            f"{times(ratio(ours, base))} | {target} | {'n/a' if mem is None else f'{mem:.0f} MB'} | {load_average(scenario)} | {verdict} |")
    return "\n".join(lines + [""])


if mode == "scale":
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join([
            "# Scale scenarios",
            "",
            f"Written by `bench/run.sh --scale` on {now} from commit `{machine['commit']}`; load {machine.get('load', 'n/a')}.",
            "",
            scale_section(),
        ]))
    sys.exit(0)

targets = [
    (f"apply all ({n}), one transaction", "≤ 1.15 × `psql -1`; below dbmate and Evolve",
     f"{secs(ours)} = {times(ratio(ours, floor1))} floor; dbmate {secs(dbmate)}, Evolve {secs(evolve)} (faster mode)",
     check(le(ratio(ours, floor1), 1.15), lt(ours, dbmate), lt(ours, evolve))),
    (f"apply all ({n}), `--transaction per-migration`", "≤ 1.5 × `psql -1`",
     f"{secs(ours_each)} = {times(ratio(ours_each, floor1))} floor",
     check(le(ratio(ours_each, floor1), 1.5))),
    (f"no-op `upgrade` ({n} applied)", "≤ 0.25 s; below dbmate and Evolve",
     f"{secs(noop)}; dbmate {secs(noop_dbmate)}, Evolve {secs(noop_evolve)}",
     check(le(noop, 0.25), lt(noop, noop_dbmate), lt(noop, noop_evolve))),
    (f"`status` ({n} applied)", "≤ 0.2 s", secs(status), check(le(status, 0.2))),
    (f"`validate` of {big_n} files", "≤ 0.5 s, peak memory ≤ 150 MB",
     f"{secs(validate)}, {'n/a' if validate_mem is None else f'{validate_mem:.0f} MB'}",
     check(le(validate, 0.5), le(validate_mem, 150))),
    (f"`lint` of {big_n} files", "≤ 2 × `validate` of the same files (lint adds at most 1×)",
     f"{secs(lint)} = {times(ratio(lint, validate))} `validate` ({secs(validate)})",
     check(le(ratio(lint, validate), 2.0))),
    ("`--version` start-up", "≤ 0.1 s", secs(version), check(le(version, 0.1))),
    ("`--help` start-up", "≤ 0.1 s", secs(help_), check(le(help_, 0.1))),
    (f"apply all ({big_n}) to a SQLite file", "≤ 1.2 × the `sqlite3` shell",
     f"{secs(sqlite_ours_big)} = {times(ratio(sqlite_ours_big, sqlite_floor_big))} `sqlite3` ({secs(sqlite_floor_big)})",
     check(le(ratio(sqlite_ours_big, sqlite_floor_big), 1.2))),
    (f"`backup` ({n} tables)", "≤ 1.05 × bare `pg_dump -Fc`",
     f"{secs(backup)} = {times(ratio(backup, dump))} `pg_dump` ({secs(dump)})",
     check(le(ratio(backup, dump), 1.05))),
    (f"backfill of {backfill_rows:,} rows, 5,000 per run", "≥ 0.9 × the rows/s of the same `UPDATE` in a psql loop",
     f"{'n/a' if backfill_ours is None else f'{rows_per_s(backfill_ours):,.0f}'} rows/s = "
     f"{times(ratio(rows_per_s(backfill_ours), rows_per_s(backfill_psql)))} psql loop "
     f"({'n/a' if backfill_psql is None else f'{rows_per_s(backfill_psql):,.0f}'} rows/s)",
     check(None if backfill_ours is None or backfill_psql is None else backfill_psql / backfill_ours >= 0.9)),
]

# ---------------------------------------------------------------------------------------------
# Scenario tables
# ---------------------------------------------------------------------------------------------
LABELS = {
    "apply-psql1": "floor: `psql -1 -f all.sql` (one transaction)",
    "apply-psqleach": "floor: `psql -1 -f` once per file",
    "apply-ours": "**probeops-migrate upgrade** (one transaction)",
    "apply-ourseach": "**probeops-migrate upgrade --transaction per-migration**",
    "apply-dbmate": "dbmate migrate (a transaction per file)",
    "apply-evolveeach": "Evolve Migrate, CommitEach (its default)",
    "apply-evolveall": "Evolve Migrate, CommitAll",
    "noop-psql": "floor: `psql -c 'SELECT 1'` (one connection)",
    "noop-ours": "**probeops-migrate upgrade**",
    "noop-dbmate": "dbmate migrate",
    "noop-evolve": "Evolve Migrate",
    "status-ours": "**probeops-migrate status**",
    "status-dbmate": "dbmate status",
    "status-evolve": "Evolve Info",
    "validate-ours": "**probeops-migrate validate**",
    "lint-ours": "**probeops-migrate lint**",
    "startup-version": "**probeops-migrate --version**",
    "startup-help": "**probeops-migrate --help**",
    "startup-dbmate": "dbmate --version",
    "startup-psql": "psql --version",
    "backup-pgdump": "floor: `pg_dump -Fc`",
    "backup-ours": "**probeops-migrate backup** (pg_dump, then verify and checksum)",
    "backfill-psql": "floor: the batch `UPDATE` in a shell loop, one `psql` per batch, until `UPDATE 0`",
    "backfill-ours": "**probeops-migrate upgrade** of a revision whose backfill runs the same `UPDATE`",
}


def row(scenario, floor=None):
    base = re.sub(r"-\d+$", "", scenario)
    label = LABELS.get(base, scenario)
    if base in ("validate-ours", "lint-ours"):
        label += f" ({scenario.rsplit('-', 1)[1]} files)"
    r = load(scenario)
    mem = peak_mb(scenario)
    mem_s = "n/a" if mem is None else f"{mem:.0f} MB"
    if r is None:
        return f"| {label} | **failed to run** | | | | {mem_s} |"
    spread = f"{secs(r['min'])} – {secs(r['max'])}"
    runs = len(r["times"])
    x = times(ratio(r["median"], floor)) if floor else ""
    return f"| {label} | {secs(r['median'])} | {spread} | {runs} | {x} | {mem_s} |"


HEADER = "| command | median | min – max | runs | × floor | peak RSS |\n|---|---:|---:|---:|---:|---:|"


def table(title, scenarios, floor_scenario=None, note=None):
    present = [s for s in scenarios if os.path.exists(os.path.join(results_dir, s + ".cmd"))]
    if not present:
        return ""
    floor = median(floor_scenario) if floor_scenario else None
    lines = [f"### {title}", ""]
    if note:
        lines += [note, ""]
    lines += [HEADER] + [row(s, floor) for s in present] + [""]
    return "\n".join(lines)


def apply_table(size):
    ids = ["psql1", "psqleach", "ours", "ourseach", "dbmate", "evolveeach", "evolveall"]
    return table(f"Apply all {size} migrations to an empty database",
                 [f"apply-{i}-{size}" for i in ids], f"apply-psql1-{size}",
                 "Each run starts from a freshly created database (untimed). × floor is against `psql -1`.")


def per_migration(value, size):
    return "n/a" if value is None else f"{value * 1000 / size:.2f} ms"


def scaling_table():
    """Applying all N migrations at every size: PostgreSQL and SQLite, each beside its floor."""
    found = (re.search(r"-(\d+)\.cmd$", p) for p in glob.glob(os.path.join(results_dir, "scale-*.cmd")))
    sizes = sorted({int(m.group(1)) for m in found if m})
    if not sizes:
        return ""
    lines = [
        "### Scaling: apply all N migrations to an empty database", "",
        "Medians; in a full run, sizes of 1,000 and more are one run each. PostgreSQL at 100 and 1,000 repeats the "
        "tables above. On SQLite the `sqlite3` shell itself slows down per migration as N grows: SQLite reads its "
        "schema table again for every `CREATE` and its whole schema for every `ALTER TABLE ... ADD COLUMN`, so each "
        "such statement costs more in a schema of thousands of tables. × `sqlite3` shows what probeops-migrate adds.", "",
        "| N | `psql -1` | **probeops-migrate**, PostgreSQL | per migration | `sqlite3` shell | "
        "**probeops-migrate**, SQLite | per migration | × `sqlite3` |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        pg_floor = median(f"scale-psql1-{size}") or median(f"apply-psql1-{size}")
        pg_ours = median(f"scale-ours-{size}") or median(f"apply-ours-{size}")
        sq_floor, sq_ours = median(f"scale-sqlite3-{size}"), median(f"scale-ourssqlite-{size}")
        lines.append(f"| {size:,} | {secs(pg_floor)} | {secs(pg_ours)} | {per_migration(pg_ours, size)} | {secs(sq_floor)} | "
                     f"{secs(sq_ours)} | {per_migration(sq_ours, size)} | {times(ratio(sq_ours, sq_floor))} |")
    return "\n".join(lines + [""])


def lint_table():
    """lint beside validate on the same files, at every size: the ratio is what linting adds."""
    found = (re.search(r"-(\d+)\.cmd$", p) for p in glob.glob(os.path.join(results_dir, "lint-ours-*.cmd")))
    sizes = sorted({int(m.group(1)) for m in found if m})
    if not sizes:
        return ""
    lines = ["### Lint against validate (no database)", "",
             "`lint` loads and validates the files as `validate` does, then checks every statement of every revision "
             "with what its ancestors did. Target: ≤ 2 × `validate` (lint adds at most 1×).", "",
             "| N | `validate` | **`lint`** | × `validate` | lint peak RSS |", "|---:|---:|---:|---:|---:|"]
    for size in sizes:
        v, l = median(f"validate-ours-{size}"), median(f"lint-ours-{size}")
        mem = peak_mb(f"lint-ours-{size}")
        lines.append(f"| {size:,} | {secs(v)} | {secs(l)} | {times(ratio(l, v))} | {'n/a' if mem is None else f'{mem:.0f} MB'} |")
    return "\n".join(lines + [""])


sections = [apply_table(main_n)]
if main_n != "20":
    sections.append(apply_table("100"))
sections.append(scaling_table())
sections += [
    table(f"Everything applied ({main_n}): no-op upgrade",
          [f"noop-{t}-{main_n}" for t in ("psql", "ours", "dbmate", "evolve")], f"noop-psql-{main_n}",
          "Each tool runs against a database it brought up to date itself. × floor is against one bare `psql` connection."),
    table(f"Everything applied ({main_n}): status", [f"status-{t}-{main_n}" for t in ("ours", "dbmate", "evolve")]),
    table("Validate (no database)",
          [os.path.basename(p)[:-4] for p in sorted(glob.glob(os.path.join(results_dir, "validate-ours-*.cmd")),
                                                     key=lambda p: int(re.search(r"-(\d+)\.cmd$", p).group(1)))]),
    lint_table(),
    table("Start-up", ["startup-version", "startup-help", "startup-dbmate", "startup-psql"]),
    table(f"Backup ({main_n} tables)", [f"backup-pgdump-{main_n}", f"backup-ours-{main_n}"], f"backup-pgdump-{main_n}"),
    scale_section(),
]


def bdn_tables():
    out = []
    for path in sorted(glob.glob(os.path.join(results_dir, "bdn", "results", "*-report-github.md"))):
        name = os.path.basename(path).split("-report")[0].rsplit(".", 1)[-1]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        job = re.search(r"^Job=.*$", text, re.M)
        rows = [line for line in text.splitlines() if line.startswith("|")]
        out += [f"#### {name}", ""]
        if job:
            out += [f"`{job.group(0).strip()}`", ""]
        out += rows + [""]
    return "\n".join(out) if out else "BenchmarkDotNet produced no results (see the run's log).\n"


# ---------------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------------
# The time of the run (machine.txt is written at its end), so rewriting the page later keeps it.
now = datetime.datetime.fromtimestamp(os.path.getmtime(os.path.join(results_dir, "machine.txt")),
                                      datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
page = [
    "# Performance results",
    "",
    f"Written by `bench/run.sh{' --smoke' if mode == 'smoke' else ''}` on {now} from commit `{machine['commit']}`, "
    f"in {int(machine['elapsed_s']) // 60} min {int(machine['elapsed_s']) % 60} s. "
    "Every figure on this page comes from that one run on one machine; ratios compare figures of the same run. "
    "Run `bash bench/run.sh` to reproduce it (see [How it is measured](#how-it-is-measured)).",
    "",
]
if mode == "smoke":
    page += ["**Smoke run (N = 20, one timed run each): it proves the suite runs; its figures mean nothing.**", ""]
if failed:
    page += [f"**Scenarios that failed to run:** {', '.join(sorted(failed))}.", ""]
page += [
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    f"| CPU | {machine['cpu']}, {machine['cpus']} logical CPUs |",
    f"| memory | {machine['memory']} |",
    f"| load average (1, 5, 15 min) | {machine.get('load', 'n/a')} (the machine is shared: a load above the CPU count inflates wall times) |",
    f"| OS | {machine['os']} |",
    f"| PostgreSQL | {machine['postgresql']} (throwaway local cluster, fsync off; same server for every tool) |",
    f"| probeops-migrate build | {machine.get('build', 'n/a')} |",
    f"| .NET runtime | {machine['dotnet']} (for the Evolve peer and BenchmarkDotNet) |",
    f"| peers | dbmate {machine['dbmate']} (npm), Evolve {machine['evolve']} (NuGet) |",
    f"| tools | hyperfine {machine['hyperfine']}, BenchmarkDotNet {machine['benchmarkdotnet']}, GNU time |",
    "",
    f"## Targets (N = {main_n} unless stated)",
    "",
    "| scenario | target | measured (median) | verdict |",
    "|---|---|---|---|",
]
page += [f"| {s} | {t} | {m} | {v} |" for s, t, m, v in targets]
page += ["", "## Whole-process timings", ""]
page += [s for s in sections if s]
page += [
    "## In-process pieces (BenchmarkDotNet)",
    "",
    "In-memory inputs shaped like the corpus; no disk, no database. `ShortRun` job, in-process toolchain.",
    "",
    bdn_tables(),
]
notes = os.path.join(bench_dir, "PROFILE.md")
if os.path.exists(notes):
    with open(notes, encoding="utf-8") as f:
        page += [f.read().strip(), ""]
page += [
    "## How it is measured",
    "",
    "- `bench/run.sh` installs what it lacks (hyperfine, GNU time and PostgreSQL with apt-get, dbmate with npm, "
    "Evolve and BenchmarkDotNet with NuGet), publishes `probeops-migrate` as users get it "
    "(`dotnet publish -c Release -r linux-x64`: one Native AOT executable) and starts a throwaway PostgreSQL cluster on 127.0.0.1 "
    "(`scripts/lib/pg-cluster.sh`, shared with `scripts/test.sh`).",
    "- `bench/gen_corpus.py` writes each corpus: migration *i* creates a table with a `bigint` primary key, a `text` and a "
    "`timestamptz` column, and an index; every 10th also adds a column to an earlier table. The same SQL is written in "
    "probeops-migrate's format, dbmate's, Evolve's, as one file per migration for `psql`, and as one file for `psql -1`.",
    "- Whole processes are timed with `hyperfine -N` (no shell). Applying everything runs in 5 rounds after a "
    "warm-up round, each tool once per round in turn, so a change in the machine's load falls on every tool alike; "
    "each run starts from a database created afresh (untimed). The rest: 3 warm-ups and 20 runs in a row. "
    "`psql` once per file (a process per file: over a minute a run) is timed once. "
    "Peak memory (max RSS) is `/usr/bin/time -v` of one more run.",
    "- Peers run against the same server and the same SQL: dbmate's own binary (not its node wrapper), with "
    "`--no-dump-schema`; Evolve from a small console app (`bench/peers/EvolvePeer`, framework-dependent and ReadyToRun: Evolve is not made for Native AOT). "
    "Passwords reach every tool through `PGPASSWORD`.",
    "- A target is met when the median meets it. Missed targets stay missed here until the code meets them.",
    "",
]
# The sections bench/backfill_latency.sh and bench/dotnet.sh write come from runs of their own: keep them
# (the backfill latency section stands just before the .NET one, so both are kept from the first on).
KEPT_SECTIONS = ["<!-- bench/backfill_latency.sh -->", "<!-- bench/dotnet.sh -->"]
kept = ""
if os.path.exists(out_path):
    with open(out_path, encoding="utf-8") as f:
        previous = f.read()
    starts = [previous.index(marker) for marker in KEPT_SECTIONS if marker in previous]
    if starts:
        kept = "\n" + previous[min(starts):]
with open(out_path, "w", encoding="utf-8") as f:
    f.write("\n".join(page) + kept)
