"""`make bench`: every benchmark in one go, its output shown as it runs and kept in bench/results.md.

Each benchmark prints its figures beside the floor it is measured against in the same run (a ratio is
what to read; absolute times depend on the machine). Each runs in its own process, so one's memory and
caches do not colour the next.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

RESULTS = Path(__file__).resolve().parent / "results.md"

# (module, what it measures, arguments at the default size)
BENCHMARKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("bench.projections", "Read-model rebuild against reading the same log", ("--backend", "both")),
    ("bench.reminders", "Reminder scan against a bare count of the same tables", ("--backend", "both")),
    ("bench.pages", "Directory and audit-log queries at scale", ("--backend", "both")),
)


def run(module: str, args: tuple[str, ...]) -> tuple[str, float, int]:
    """Runs one benchmark, echoing its output as it comes; returns the output, seconds and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        click.echo(line, nl=False)
        lines.append(line)
    return "".join(lines), time.perf_counter() - started, process.wait()


@click.command()
@click.option("--only", multiple=True, help="Run only these modules (e.g. --only bench.reminders).")
def main(only: tuple[str, ...]) -> None:
    """Runs every benchmark and writes bench/results.md."""
    chosen = [b for b in BENCHMARKS if not only or b[0] in only]
    sections = []
    failed = []
    for module, title, args in chosen:
        click.secho(f"\n== {title} (python -m {module} {' '.join(args)})", bold=True)
        output, seconds, code = run(module, args)
        if code != 0:
            failed.append(module)
        sections.append(
            f"## {title}\n\n`python -m {module} {' '.join(args)}`: {seconds:.0f} s"
            f"{'' if code == 0 else f', FAILED (exit {code})'}\n\n```\n{output.rstrip()}\n```\n"
        )
    header = (
        "# Benchmark results\n\n"
        f"Written by `make bench` on {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}. Each figure is printed beside the floor it is measured "
        "against in the same run.\n"
    )
    RESULTS.write_text(header + "\n" + "\n".join(sections))
    click.echo(f"\nWrote {RESULTS}.")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
