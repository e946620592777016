"""Timing, memory, profiling and reporting shared by the benchmarks. Nothing here asserts on time."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from rich.console import Console
from rich.text import Text

console = Console(highlight=False, soft_wrap=True)
if not console.is_terminal:
    console.width = 120  # the summary table, when the output goes to a file or a pipe


@dataclass(frozen=True)
class Options:
    quick: bool = False
    dialects: tuple[str, ...] = ("sqlite", "postgresql")
    #: Overrides the bulk load's movement count.
    movements: int | None = None
    #: Profile the measured product calls with cProfile (their timings are then inflated).
    profile: bool = False


@dataclass(frozen=True)
class Result:
    """One figure beside the baseline measured in the same run (both in seconds)."""

    benchmark: str
    database: str
    #: What was measured, in a few words: "1,000,000 movements", "10,000 shelters x 100 items".
    size: str
    figure: str
    seconds: float
    baseline: str
    baseline_seconds: float
    target_seconds: float | None = None
    details: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else float("inf")

    @property
    def met(self) -> bool | None:
        return None if self.target_seconds is None else self.seconds <= self.target_seconds

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    """The 95th percentile, by the nearest-rank method."""
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def repeat(call: Callable[[], object], times: int, warm_up: int = 1) -> list[float]:
    """Seconds taken by each of `times` calls, after `warm_up` calls that are not counted."""
    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


@contextmanager
def profiled(enabled: bool, title: str, lines: int = 25) -> Iterator[None]:
    """Profile the block with cProfile when `enabled`, then print where the time went."""
    if not enabled:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
        console.print(Text.assemble((f"profile: {title}", "bold"), " (by own time; the timing includes the profiler)"))
        report = out.getvalue()
        console.print(report[report.find("ncalls") - 3:].rstrip(), markup=False)


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        found = re.search(rf"^{key}:\s+(\d+) kB", status.read(), re.MULTILINE)
    return int(found.group(1)) if found else 0


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """Resident memory before the block and its peak during it, in MB (Linux's VmHWM, reset first)."""
    found: dict[str, float] = {}
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets the high-water mark to the current resident size
    except OSError:
        found["note"] = "peak since process start (could not reset the high-water mark)"  # type: ignore[assignment]
    found["before_mb"] = _status_kb("VmRSS") / 1024
    yield found
    found["peak_mb"] = _status_kb("VmHWM") / 1024
    found["growth_mb"] = max(0.0, found["peak_mb"] - found["before_mb"])


def count(value: float) -> str:
    return f"{value:,.0f}"


def seconds(value: float) -> str:
    """A duration in the unit that reads best: µs, ms or s."""
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def say(result: Result, extra: str = "") -> None:
    """Print one figure beside its baseline, the way every benchmark reports."""
    target = ""
    if result.target_seconds is not None:
        target = f"; target {seconds(result.target_seconds)}: {'met' if result.met else 'MISSED'}"
    console.print(Text.assemble(
        (result.benchmark, "bold"),
        f" [{result.database}]: {result.figure}{extra}; baseline {result.baseline}: "
        f"{seconds(result.baseline_seconds)}; ratio {result.ratio:.1f}x{target}",
    ))
