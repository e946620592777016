"""Run the benchmarks: `python -m benchmarks [NAME ...] [--quick] [--db sqlite|postgresql] [--json FILE]`.

Every figure is printed beside a baseline measured in the same run; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import time
from pathlib import Path

from rich.table import Table

from benchmarks import (bulk_load, demo_load, emergency, navigation, navigation_bounds, navigation_search, readiness,
                        write_latency)
from benchmarks.databases import places
from benchmarks.harness import Options, Result, console, seconds

BENCHMARKS = {
    "bulk-load": bulk_load.run,
    "readiness": readiness.run,
    "write-latency": write_latency.run,
    "demo": demo_load.run,
    "navigation": navigation.run,
    "emergency": emergency.run,
    "navigation-search": navigation_search.run,
    "navigation-bounds": navigation_bounds.run,
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"which to run (default all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (100,000 movements, 1,000 shelters)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both",
                        help="which database to measure (default both)")
    parser.add_argument("--movements", type=int, help="movements for the bulk load (default 1,000,000; quick 100,000)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each measured product call")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results to FILE as JSON")
    args = parser.parse_args(argv)
    args.names = [name.replace("_", "-") for name in args.names] or list(BENCHMARKS)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    return args


def machine() -> str:
    return (f"{os.cpu_count()} cores ({_processor()}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def _processor() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    except OSError:
        names = []
    return names[0] if names else platform.processor() or platform.machine()


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    # On `kill`, unwind normally, so the temporary files and the PostgreSQL database are still removed.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    dialects = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    started = time.perf_counter()
    console.print(f"Refuge benchmarks ({'quick' if args.quick else 'full'} sizes) on {machine()}")
    results: list[Result] = []
    with places() as found:
        if "postgresql" in dialects and found.postgres_error:
            console.print(f"PostgreSQL is not reachable, measuring SQLite only: {found.postgres_error}")
            dialects = tuple(d for d in dialects if d != "postgresql")
        options = Options(quick=args.quick, dialects=dialects, movements=args.movements, profile=args.profile)
        for name in args.names:
            # Other work on the machine slows both sides of a ratio, but not always equally: say how busy it is.
            console.rule(f"{name} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
            results += BENCHMARKS[name](found, options)
    summary(results)
    console.print(f"all done in {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "quick": args.quick,
                                         "results": [r.as_json() for r in results]}, indent=2, default=str))
    return 0


def summary(results: list[Result]) -> None:
    table = Table(title="Summary")
    for column in ("benchmark", "database", "size", "figure", "baseline", "ratio", "target", "met?"):
        table.add_column(column)
    for r in results:
        met = "" if r.met is None else ("yes" if r.met else "no")
        table.add_row(r.benchmark, r.database, r.size, seconds(r.seconds), seconds(r.baseline_seconds),
                      f"{r.ratio:.1f}x",
                      seconds(r.target_seconds) if r.target_seconds else "", met)
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
