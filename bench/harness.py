"""What the benchmarks do around their measurements: start server processes, see that they are
up, pin them to a CPU, read their CPU time, wait until they are idle, stop them; and the
percentile and console every report uses.

One definition of each, for ``bench.reads`` (through ``bench.reads_compare``), ``bench.scale``,
``bench.freshness``, ``bench.deliveries``, ``bench.subscriptions`` and ``bench.load``. CPU time
comes from ``/proc`` (Linux). ``bench.load`` runs as its own process for every measured run and
imports this module, so httpx and rich are imported only by the functions that need them.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

#: The repository: the servers' working directory, where ``python -m bench...`` runs.
ROOT = Path(__file__).resolve().parents[1]
#: Environment for a benchmarked coordhub: one client address sends far more than any caller's
#: budget, and the benchmark measures the server, not its rate limits (their checks, and the
#: query cost analysis, still run: the cost is computed for every operation). Its /metrics
#: takes ``METRICS_TOKEN`` (in production it is refused without a token).
METRICS_TOKEN = "bench-metrics-token"
UNLIMITED = {"COORDHUB_RATE_LIMITS_ENABLED": "false", "COORDHUB_METRICS_TOKEN": METRICS_TOKEN}
#: The ``coordhub`` command of this virtual environment.
COORDHUB = str(Path(sys.executable).parent / "coordhub")
#: Clock ticks per second, the unit of ``cpu_ticks``.
TICKS = os.sysconf("SC_CLK_TCK")


# -- server processes ------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server process a benchmark started, listening on ``url``."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    #: Where its standard error goes (None: discarded).
    log: Path | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    async def wait_until_up(self, seconds: float = 60) -> None:
        """Until ``GET /healthz`` answers 200; RuntimeError if the process exits first or
        ``seconds`` pass (with the end of its log, when it has one)."""
        import httpx

        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient(timeout=2) as http:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"{self.url}/healthz")).status_code == 200:
                        return
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start: {self.last_words()}")
                await asyncio.sleep(0.1)

    def last_words(self) -> str:
        status = self.process.poll()
        state = "still running" if status is None else f"exit status {status}"
        if self.log is None:
            return state
        return f"{state}\n{self.log.read_text(errors='replace')[-3000:]}"

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if it has not exited 10 s later."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_server(
    name: str,
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path = ROOT,
    cpu: int | None = None,
    logs: Path | None = None,
) -> Server:
    """``command --port <a free port>`` in a process of its own (call ``wait_until_up``).

    ``env`` is laid over this process's environment; ``cpu`` pins the process with
    ``taskset``; its standard error goes to ``logs/<name>.log`` (discarded without ``logs``),
    its standard output is discarded. The process inherits this one's limits (open files).
    """
    port = free_port()
    command = [*command, "--port", str(port)]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    log = logs / f"{name}.log" if logs is not None else None
    with contextlib.ExitStack() as stack:
        errors: IO[bytes] | int = subprocess.DEVNULL
        if log is not None:
            errors = stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    return Server(name, f"http://127.0.0.1:{port}", process, log)


def cpus(console: Console) -> tuple[int | None, int | None]:
    """(the servers' CPU, the load generator's CPU), or Nones when nothing can be pinned."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None:
        return 0, 1
    console.print("[yellow]fewer than 2 CPUs or no taskset: nothing is pinned[/yellow]")
    return None, None


# -- CPU time ----------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks (``TICKS`` a second);
    OSError once the process is gone."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


async def wait_idle(pids: list[int], interval: float = 0.2, limit: float = 300) -> None:
    """Until no process of ``pids`` used more than a tick of CPU in ``interval`` seconds, or
    ``limit`` seconds have passed: work left over from one step would otherwise be charged to
    the next. Returns at once where there is no ``/proc`` to read."""
    if not sys.platform.startswith("linux"):
        return
    deadline = time.monotonic() + limit
    before = [cpu_ticks(pid) for pid in pids]
    while time.monotonic() < deadline:
        await asyncio.sleep(interval)
        after = [cpu_ticks(pid) for pid in pids]
        if all(b - a <= 1 for a, b in zip(before, after, strict=True)):
            return
        before = after


# -- reporting ---------------------------------------------------------------------------------


def percentile(values: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile (NaN of no values): of 20 values, p50 is the 10th smallest and
    p99 the largest."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def console_for_output() -> Console:
    """A rich console, 150 columns wide when the output is not a terminal (rich would assume
    80, too narrow for the tables)."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=150)
