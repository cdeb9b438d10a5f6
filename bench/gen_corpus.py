#!/usr/bin/env python3
"""Writes one benchmark corpus of N migrations in every format the suite applies.

    gen_corpus.py N OUT_DIR

Migration i creates table bench_t<i> (bigint primary key, a text and a timestamptz column) and an
index on it; every 10th migration also adds a column to the table created 9 migrations earlier.
The same SQL goes to:
  OUT_DIR/probeops/                 probeops-migrate files (YYYYMMDD_description.sql, one chain)
  OUT_DIR/dbmate/db/migrations/     dbmate files (YYYYMMDDHHMMSS_name.sql, -- migrate:up / down)
  OUT_DIR/evolve/                   Evolve files (V<i>__name.sql)
  OUT_DIR/plain/                    the bare upgrade SQL, one file per migration (psql per file)
  OUT_DIR/all.sql                   every upgrade in order, one file (psql -1 -f)
and the same migrations in SQLite's dialect (a default of CURRENT_TIMESTAMP instead of now()) to:
  OUT_DIR/sqlite/                   probeops-migrate files
  OUT_DIR/all.sqlite.sql            every upgrade in order in one transaction (sqlite3 < file)
"""
import os
import shutil
import sys


def upgrade_sql(i, now="now()"):
    t = f"bench_t{i:05d}"
    sql = (
        f"CREATE TABLE {t} (\n"
        f"    id bigint PRIMARY KEY,\n"
        f"    name text NOT NULL,\n"
        f"    created_at timestamptz NOT NULL DEFAULT {now}\n"
        f");\n"
        f"CREATE INDEX ix_{t}_created_at ON {t} (created_at);\n"
    )
    if i % 10 == 0:
        sql += f"ALTER TABLE bench_t{i - 9:05d} ADD COLUMN note_{i:05d} text;\n"
    return sql


def downgrade_sql(i):
    sql = ""
    if i % 10 == 0:
        sql += f"ALTER TABLE bench_t{i - 9:05d} DROP COLUMN note_{i:05d};\n"
    sql += f"DROP TABLE bench_t{i:05d};\n"
    return sql


def probeops_file(revision, previous, i, up, down):
    return (f"-- revision: {revision}\n"
            f"-- down_revision: {previous or 'none'}\n"
            f"-- message: Create bench_t{i:05d}\n\n"
            f"-- migrate:upgrade\n{up}\n"
            f"-- migrate:downgrade\n{down}")


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_corpus.py N OUT_DIR")
    n = int(sys.argv[1])
    out = sys.argv[2]
    if n < 1:
        sys.exit("N must be at least 1")
    if os.path.isdir(out):
        shutil.rmtree(out)
    dirs = {k: os.path.join(out, *p) for k, p in {
        "probeops": ["probeops"], "dbmate": ["dbmate", "db", "migrations"],
        "evolve": ["evolve"], "plain": ["plain"], "sqlite": ["sqlite"]}.items()}
    for d in dirs.values():
        os.makedirs(d)

    previous = None
    everything = []
    everything_sqlite = []
    for i in range(1, n + 1):
        up, down = upgrade_sql(i), downgrade_sql(i)
        up_sqlite = upgrade_sql(i, now="CURRENT_TIMESTAMP")
        name = f"create_bench_t{i:05d}"
        revision = f"20250101_m{i:05d}_{name}"
        write(os.path.join(dirs["probeops"], revision + ".sql"), probeops_file(revision, previous, i, up, down))
        write(os.path.join(dirs["sqlite"], revision + ".sql"), probeops_file(revision, previous, i, up_sqlite, down))
        everything_sqlite.append(up_sqlite)
        previous = revision
        write(os.path.join(dirs["dbmate"], f"{20250101000000 + i:014d}_{name}.sql"),
              f"-- migrate:up\n{up}\n-- migrate:down\n{down}")
        write(os.path.join(dirs["evolve"], f"V{i}__{name}.sql"), up)
        write(os.path.join(dirs["plain"], f"{i:05d}.sql"), up)
        everything.append(up)
    write(os.path.join(out, "all.sql"), "".join(everything))
    write(os.path.join(out, "all.sqlite.sql"), "BEGIN;\n" + "".join(everything_sqlite) + "COMMIT;\n")


if __name__ == "__main__":
    main()
