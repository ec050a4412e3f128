"""`make bench`: every benchmark in one go, its output shown as it runs and kept in bench/results.md.

Each benchmark runs in its own process (so one's memory and caches do not colour the next), prints its
figures beside the floor it is measured against in the same run, and one ``RESULT`` line per row of the
issue's table it measures (bench/report.py). bench/results.md starts with those rows, in the table's
order, each "met" or "missed" with what limits it, then every benchmark's own output.

The benchmarks listed below run first, at their default sizes (about ten minutes in all on two cores,
once the kept event store exists; making it the first time adds a few minutes). Any other module in
bench/ that runs as a script (``if __name__ == "__main__"``) runs after them, with its own defaults, so a
benchmark added on another branch is part of ``make bench`` once merged. ``--scale N`` multiplies the
listed benchmarks' sizes; ``--only MODULE`` runs just those.
"""

from __future__ import annotations

import ast
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from bench.report import MARK, ROWS, Result, parse

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
HELPERS = {"__init__", "__main__", "report", "store"}

# (module, what it measures, its arguments at a scale: 1 is the default size)
BENCHMARKS: tuple[tuple[str, str, Callable[[int], tuple[str, ...]]], ...] = (
    (
        "bench.commands",
        "API writes and in-process commands against a static GET and the durable floor",
        lambda n: ("--backend", "both", "--writes", str(150 * n)),
    ),
    (
        "bench.snapshots",
        "One command on a long-lived body against a new one, with snapshots and the aggregate cache",
        lambda n: ("--backend", "both", "--events", str(10_000 * n), "--repeats", "5"),
    ),
    (
        "bench.projections",
        "Read-model rebuild against reading the same log",
        lambda n: ("--backend", "both", "--events", str(20_000 * n)),
    ),
    (
        "bench.reminders",
        "Reminder scan against a bare count of the same tables",
        lambda n: ("--backend", "both", "--bodies", str(10_000 * n), "--meetings", str(100_000 * n)),
    ),
    (
        "bench.server",
        "Pages under a real server at 100,000 events against a static file; the server's memory",
        lambda n: ("--backend", "sqlite", "--events", str(100_000 * n), "--small", str(10_000 * n)),
    ),
    (
        "bench.record",
        "audit verify, export and import against reading the log",
        lambda n: ("--backend", "both", "--events", str(100_000 * n)),
    ),
    (
        "bench.pages",
        "Directory, audit-log and dashboard queries at scale",
        lambda n: ("--backend", "both", "--bodies", str(10_000 * n), "--audit-rows", str(1_000_000 * n)),
    ),
    (
        "bench.search",
        "Search at 100,000 events against a full scan (LIKE) of the same text",
        lambda n: ("--backend", "both", "--events", str(100_000 * n)),
    ),
)
# Which benchmark measures each row of the table.
MEASURED_BY = {
    "api_write": "bench.commands",
    "command": "bench.commands",
    "snapshots": "bench.snapshots",
    "rebuild": "bench.projections",
    "reminder_scan": "bench.reminders",
    "page_p99": "bench.server",
    "rss": "bench.server",
    "verify": "bench.record",
    "export": "bench.record",
    "import": "bench.record",
    "search": "bench.search",
}


def others() -> list[tuple[str, str, Callable[[int], tuple[str, ...]]]]:
    """Every other benchmark script in bench/, with the first line of its docstring as its title."""
    listed = {module for module, _, _ in BENCHMARKS}
    found = []
    for path in sorted(HERE.glob("*.py")):
        module = f"bench.{path.stem}"
        text = path.read_text()
        if path.stem in HELPERS or module in listed or '__name__ == "__main__"' not in text:
            continue
        title = (ast.get_docstring(ast.parse(text)) or module).splitlines()[0].rstrip(".")
        found.append((module, title, lambda _n: ()))
    return found


def run(module: str, args: tuple[str, ...]) -> tuple[str, float, int]:
    """Runs one benchmark, echoing its output as it comes; returns the output, seconds and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", module, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        click.echo(line, nl=False)
        lines.append(line)
    return "".join(lines), time.perf_counter() - started, process.wait()


def summary(results: list[Result], ran: dict[str, int]) -> str:
    """The issue's table, one line per figure measured, in the table's order."""
    lines = [
        "| row | backend | events | measured | against | ratio | target | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, what, against, target in ROWS:
        mine = [r for r in results if r.row == key]
        module = MEASURED_BY[key]
        if not mine:
            if module not in ran:
                why = f"not measured: `{module}` is not in this tree" if not _exists(module) else "not run"
            elif ran[module] != 0:
                why = f"not measured: `{module}` failed (exit {ran[module]}), see its section"
            else:
                why = f"`{module}` ran but printed no summary line: see its section"
            lines.append(f"| {what} | | | | {against} | | {target} | {why} |")
            continue
        for r in mine:
            verdict = "met" if r.met else f"**missed**: {r.why}" if r.why else "**missed**"
            events = f"{r.events:,}" if r.events else ""
            lines.append(
                f"| {what} | {r.backend} | {events} | {r.measured} | {r.floor} | {r.ratio} | {r.target} | {verdict} |"
            )
    return "\n".join(lines) + "\n"


def _exists(module: str) -> bool:
    return (HERE / f"{module.split('.')[-1]}.py").exists()


@click.command()
@click.option("--only", multiple=True, help="Run only these modules (e.g. --only bench.reminders).")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1), help="Multiply the default sizes.")
def main(only: tuple[str, ...], scale: int) -> None:
    """Runs every benchmark and writes bench/results.md."""
    chosen = [b for b in (*BENCHMARKS, *others()) if not only or b[0] in only]
    started_at = datetime.now(tz=UTC)
    load = os.getloadavg()
    sections, results, ran = [], [], {}
    started = time.perf_counter()
    for module, title, sized in chosen:
        args = sized(scale)
        click.secho(f"\n== {title} (python -m {module} {' '.join(args)})", bold=True)
        output, seconds, code = run(module, args)
        ran[module] = code
        results += parse(output)
        shown = "\n".join(line for line in output.rstrip().splitlines() if not line.startswith(MARK))
        sections.append(
            f"### {title}\n\n`python -m {module} {' '.join(args)}`: {seconds:.0f} s"
            f"{'' if code == 0 else f', FAILED (exit {code})'}\n\n```\n{shown}\n```\n"
        )
    minutes = (time.perf_counter() - started) / 60
    header = (
        "# Benchmark results\n\n"
        f"Written by `make bench` on {started_at:%Y-%m-%d %H:%M} UTC in {minutes:.0f} minutes: Python "
        f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}, load average "
        f"{load[0]:.1f} when it started (the machine is shared: read the ratios, each measured side by side "
        "in one run, rather than the absolute figures).\n\n"
        "## The issue's table\n\n"
    )
    RESULTS.write_text(header + summary(results, ran) + "\n## Each benchmark's output\n\n" + "\n".join(sections))
    click.echo(f"\nWrote {RESULTS} ({minutes:.0f} minutes).")
    failed = [module for module, code in ran.items() if code != 0]
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
