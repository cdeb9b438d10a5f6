"""The section of bench/RESULTS.md that bench/backfill_latency.sh measures: a writer's waits during each change.

    backfill_latency.py WORK RESULTS ROWS ROUNDS LOAD_START LOAD_END COMMIT ELAPSED_S

WORK holds windows.tsv (round, way, database, change start, change commit: epoch seconds), pgbench's logs of
each database's writes (writes/DB.PID: client, transaction, latency in us, script, end epoch s, end us) and the
server's log. The section replaces its own earlier one in RESULTS, or goes before bench/dotnet.sh's.
"""
import datetime
import glob
import os
import re
import statistics
import sys

MARKER = "<!-- bench/backfill_latency.sh -->"
NEXT_MARKER = "<!-- bench/"
WAYS = {"at-once": "one `UPDATE` in an upgrade section", "batched": "backfill, 5,000 rows a run"}
# What the server logs of its own waits: lock waits past deadlock_timeout, autovacuum and its cancellation, checkpoints.
SERVER_EVENTS = {
    "lock waits past deadlock_timeout": re.compile(r"still waiting for"),
    "autovacuum or autoanalyze": re.compile(r"automatic (vacuum|analyze)|canceling autovacuum"),
    "checkpoints": re.compile(r"checkpoint starting"),
}


def writes_of(work, db):
    """(start, end, wait) of every write pgbench completed on DB, in epoch seconds."""
    for path in glob.glob(os.path.join(work, "writes", db + ".*")):
        for line in open(path, encoding="utf-8"):
            _, _, latency_us, _, end_s, end_us = line.split()[:6]
            end = int(end_s) + int(end_us) / 1e6
            wait = int(latency_us) / 1e6
            yield end - wait, end, wait


def server_events(work):
    """(time, kind) of each server log line that says the server waited or worked on its own."""
    for line in open(os.path.join(work, "server.log"), encoding="utf-8", errors="replace"):
        match = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) UTC", line)
        for kind, pattern in SERVER_EVENTS.items():
            if match and pattern.search(line):
                at = datetime.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.UTC)
                yield at.timestamp(), kind


def measure(work):
    """Per way: waits (ms) of the writes that overlapped a change, each round's longest, change times, server events."""
    events = list(server_events(work))
    found = {way: {"waits": [], "longest": [], "changes": [], "events": {}} for way in WAYS}
    for line in open(os.path.join(work, "windows.tsv"), encoding="utf-8"):
        _, way, db, start, commit = line.split("\t")
        start, commit = float(start), float(commit)
        waits = [wait * 1000 for begun, end, wait in writes_of(work, db) if begun < commit and end > start]
        into = found[way]
        into["waits"] += waits
        into["longest"].append(max(waits, default=0))
        into["changes"].append((commit - start) * 1000)
        for at, kind in events:
            if start <= at <= commit:
                into["events"][kind] = into["events"].get(kind, 0) + 1
    return found


def section(found, rows, rounds, load_start, load_end, commit, elapsed):
    at_once, batched = found["at-once"], found["batched"]
    ratio = max(batched["waits"]) / max(at_once["waits"])
    median_ratio = statistics.median(batched["waits"]) / statistics.median(at_once["waits"])
    lines = [
        MARKER, "", "## A writer's waits: backfill against one UPDATE", "",
        f"Written by `bench/backfill_latency.sh` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC from commit "
        f"`{commit}`, in {elapsed} s; load average {load_start} at the start, {load_end} at the end (2 logical CPUs, shared). "
        f"A table of {rows:,} rows gets a new column filled, {rounds} round{'s' if rounds > 1 else ''}, each change on a fresh "
        "copy, the two ways taking turns; pgbench (one client) updates random rows throughout. A wait is one write's "
        "latency; the writes counted are those that overlapped the change (from its upgrade section's first statement "
        "to the commit of its last transaction).", "",
        "| the change | change took (median) | writes during it | median wait | longest wait | longest, each round | server waits logged |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for way, name in WAYS.items():
        f = found[way]
        logged = ", ".join(f"{n} {kind}" for kind, n in sorted(f["events"].items())) or "none"
        lines.append(
            f"| {name} | {statistics.median(f['changes']):.0f} ms | {len(f['waits'])} | {statistics.median(f['waits']):.1f} ms | "
            f"{max(f['waits']):.0f} ms | {', '.join(f'{m:.0f}' for m in f['longest'])} ms | {logged} |")
    verdict = "met" if ratio <= 1 / 3 else "**MISSED**"
    lines += [
        "", "| target | measured | verdict |", "|---|---|---|",
        f"| longest wait during the backfill ≤ ⅓ of the longest during the one `UPDATE` | {max(batched['waits']):.0f} ms "
        f"against {max(at_once['waits']):.0f} ms = {ratio:.2f}× | {verdict} |", "",
        f"Medians: {statistics.median(batched['waits']):.1f} ms against {statistics.median(at_once['waits']):.1f} ms = "
        f"{median_ratio:.2f}×. With one client, the writes that overlap the one `UPDATE` are the few that came before its "
        "`ALTER TABLE` took the table and the one that then waited for the commit, so their median says little; the longest "
        "is the wait the application sees. During the backfill a write waits at most for the run that holds its row. "
        "The server logs a lock wait once it passes `deadlock_timeout` (1 s): during the one `UPDATE` those are the "
        "writer's waits for the migration; during the backfill one would be a stray wait, and autovacuum or a checkpoint "
        "during a change is counted beside it. "
        "The tests show the same by the order of events, not by time (`tests/ProbeOps.Migrate.Tests/Backfills/ConcurrentWriterTests.cs`). "
        "Where a stray wait of about a second came from: [PROFILE.md](PROFILE.md#a-writers-waits-during-a-backfill-benchbackfill_latencysh).",
        "",
    ]
    return "\n".join(lines)


def write(results, text):
    """Replaces this script's earlier section of RESULTS; a first one goes before bench/dotnet.sh's section."""
    old = open(results, encoding="utf-8").read() if os.path.exists(results) else ""
    if MARKER in old:
        before, rest = old.split(MARKER, 1)
        following = rest.find(NEXT_MARKER)
        after = rest[following:] if following >= 0 else ""
    else:
        following = old.find("<!-- bench/dotnet.sh -->")
        before, after = (old[:following], old[following:]) if following >= 0 else (old, "")
    joined = (before.rstrip("\n") + "\n\n" if before.strip() else "") + text + ("\n" + after if after else "")
    with open(results, "w", encoding="utf-8") as f:
        f.write(joined)


def main():
    work, results, rows, rounds, load_start, load_end, commit, elapsed = sys.argv[1:]
    text = section(measure(work), int(rows), int(rounds), load_start, load_end, commit, elapsed)
    write(results, text)
    print(text)


main()
