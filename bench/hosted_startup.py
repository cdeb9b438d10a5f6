#!/usr/bin/env python3
"""Time from process start to an ASP.NET app's first successful response, with and without start-up migration.

    bench/hosted_startup.py APP DATABASE RUNS      (APP: the app's .dll, or its native executable)

Runs the example app (examples/aspnet) RUNS times in each mode, alternating: `Off` (the bare app: no
ProbeOps.Migrate services at all) and `Apply` (migrate on start-up, with nothing pending: the database is
migrated once before timing). Each run starts the app on a free port and polls GET / every
millisecond until it answers 200. Prints one JSON object: the milliseconds of every run per mode.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_response_ms(app, database, mode):
    port = free_port()
    env = dict(os.environ, ConnectionStrings__Database=database, Migrations__OnStartup=mode,
               ASPNETCORE_URLS=f"http://127.0.0.1:{port}", Logging__LogLevel__Default="Warning")
    started = time.perf_counter()
    command = ["dotnet", app] if app.endswith(".dll") else [app]  # a .dll runs on the shared runtime; a native executable alone
    process = subprocess.Popen(command, env=env, cwd=os.path.dirname(app),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the app exited with {process.returncode}: {process.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if response.status == 200:
                        return (time.perf_counter() - started) * 1000
            except OSError:
                time.sleep(0.001)
    finally:
        process.kill()
        process.wait()


def main():
    app, database, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    first_response_ms(app, database, "Apply")  # migrates, and warms the disk cache
    times = {"Off": [], "Apply": []}
    for _ in range(runs):
        for mode in times:
            times[mode].append(first_response_ms(app, database, mode))
    print(json.dumps(times))


if __name__ == "__main__":
    main()
