"""Closed-loop HTTP/1.1 load for ``bench.reads``, run as its own process pinned to one CPU.

``concurrency`` keep-alive connections each send their next request as soon as the previous
response is read. The run starts with ``warmup`` seconds on the same connections (not counted),
then a measured window of ``seconds``; afterwards no new request is sent, and those in flight
are awaited, so the server is idle when the run returns (uvicorn finishes a request whose
client left, which would otherwise spill CPU into the next run).

Throughput counts each request as one unit of work spread over its lifetime and sums the parts
that fall inside the window: with requests that take a good part of the window (at high
concurrency every request waits for the others), counting only completions would swing by a
whole round of ``concurrency`` requests. p50 and p99 (nearest rank) are over the requests that
completed inside the window.

Clients: ``raw`` (default), a minimal asyncio client writing prepared request bytes and reading
``Content-Length`` (or chunked) responses, on uvloop: a few tens of microseconds per request,
so it stays far from saturating its CPU; ``httpx``, an httpx.AsyncClient pool, the same way
(about ten times the client CPU per request: a lower bound for fast servers); ``wrk``, when
installed, a warm-up run and then a measured run (not windowed: a quick cross-check).

    python -m bench.load --url http://127.0.0.1:8000/graphql --method POST \
        --body '{"query": "{ claims { edges { node { id } } } }"}' --concurrency 32 --cpu 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from bench.harness import ROOT, percentile

CLIENTS = ("raw", "httpx", "wrk")


@dataclass(frozen=True)
class Request:
    """What every request of a run sends."""

    url: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """One run: requests per second in the window, latency percentiles (ms), counts."""

    rate: float
    p50_ms: float
    p99_ms: float
    completed: int
    errors: int


def pin(cpu: int | None) -> None:
    """Pin this process to ``cpu`` (None: leave it be)."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


# -- the closed loop -------------------------------------------------------------------------


class RawConnection:
    """One keep-alive HTTP/1.1 connection sending the same prepared request again and again."""

    def __init__(self, request: Request) -> None:
        parts = urlsplit(request.url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = request.body or b""
        head = [f"{request.method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in request.headers.items()]
        if request.body is not None:
            head.append(f"Content-Length: {len(body)}")
        self.payload = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self) -> bool:
        if self.reader is None or self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(self.payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = None
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        return status < 400

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await asyncio.gather(self.writer.wait_closed(), return_exceptions=True)


class HttpxConnection:
    """A slot in a shared httpx.AsyncClient pool."""

    def __init__(self, request: Request, http: object) -> None:
        self.request = request
        self.http = http

    async def open(self) -> None:
        await self.send()

    async def send(self) -> bool:
        request = self.request
        response = await self.http.request(  # type: ignore[attr-defined]
            request.method, request.url, content=request.body, headers=request.headers
        )
        return bool(response.status_code < 400)

    async def close(self) -> None:
        return None


async def closed_loop(
    connections: list[RawConnection] | list[HttpxConnection], warmup: float, seconds: float
) -> Result:
    await asyncio.gather(*(connection.open() for connection in connections))
    start = time.perf_counter()
    window = (start + warmup, start + warmup + seconds)
    spans: list[tuple[float, float]] = []
    errors = 0

    async def worker(connection: RawConnection | HttpxConnection) -> None:
        nonlocal errors
        while (began := time.perf_counter()) < window[1]:
            try:
                ok = await connection.send()
            except Exception as exc:  # counted, reported, and the connection reopened
                ok = False
                print(f"request failed: {exc!r}", file=sys.stderr)
                await connection.close()
                if isinstance(connection, RawConnection):
                    connection.reader = connection.writer = None
            if ok:
                spans.append((began, time.perf_counter()))
            else:
                errors += 1

    await asyncio.gather(*(worker(connection) for connection in connections))
    await asyncio.gather(*(connection.close() for connection in connections))
    low, high = window
    work = sum(
        (min(end, high) - max(began, low)) / (end - began)
        for began, end in spans
        if end > low and began < high and end > began
    )
    latencies = sorted(end - began for began, end in spans if low <= end <= high)
    return Result(
        rate=work / seconds,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        completed=len(latencies),
        errors=errors,
    )


async def run_raw(request: Request, concurrency: int, warmup: float, seconds: float) -> Result:
    return await closed_loop([RawConnection(request) for _ in range(concurrency)], warmup, seconds)


async def run_httpx(request: Request, concurrency: int, warmup: float, seconds: float) -> Result:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=600) as http:
        return await closed_loop(
            [HttpxConnection(request, http) for _ in range(concurrency)], warmup, seconds
        )


# -- wrk -------------------------------------------------------------------------------------


def _lua_string(data: bytes) -> str:
    # Every byte as a three-digit decimal escape: safe for any body, Khmer included.
    return '"' + "".join(f"\\{byte:03d}" for byte in data) + '"'


def _wrk_script(request: Request) -> str:
    lines = [f"wrk.method = {_lua_string(request.method.encode())}"]
    if request.body is not None:
        lines.append(f"wrk.body = {_lua_string(request.body)}")
    for name, value in request.headers.items():
        lines.append(f"wrk.headers[{_lua_string(name.encode())}] = {_lua_string(value.encode())}")
    lines.append(
        """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n@@{"requests": %d, "micros": %d, "p50": %.1f, "p99": %.1f, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
    )
    return "\n".join(lines)


def _wrk(request: Request, concurrency: int, seconds: float, script: str) -> dict[str, float]:
    command = [
        "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, math.ceil(seconds))}s",
        "--timeout=600s",
        "-s",
        script,
        request.url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 900)
    marked = [line for line in done.stdout.splitlines() if line.startswith("@@")]
    if done.returncode != 0 or not marked:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return dict(json.loads(marked[-1][2:]))


def run_wrk(request: Request, concurrency: int, warmup: float, seconds: float) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_wrk_script(request))
    try:
        if warmup > 0:
            _wrk(request, concurrency, warmup, script.name)
        summary = _wrk(request, concurrency, seconds, script.name)
    finally:
        os.unlink(script.name)
    return Result(
        rate=summary["requests"] / (summary["micros"] / 1e6),
        p50_ms=summary["p50"] / 1000,
        p99_ms=summary["p99"] / 1000,
        completed=int(summary["requests"]),
        errors=int(summary["errors"]),
    )


# -- entry points ----------------------------------------------------------------------------


def measure(
    request: Request,
    concurrency: int,
    warmup: float,
    seconds: float,
    cpu: int | None,
    client: str = "raw",
) -> Result:
    """One run in a separate process pinned to ``cpu`` (blocking: call it from a thread)."""
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--url",
        request.url,
        "--method",
        request.method,
        "--concurrency",
        str(concurrency),
        "--warmup",
        str(warmup),
        "--seconds",
        str(seconds),
        "--client",
        client,
    ]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    for name, value in request.headers.items():
        command += ["--header", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as body:
        body.write(request.body or b"")
    if request.body is not None:
        command += ["--body-file", body.name]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=warmup + seconds + 1800,
        )
    finally:
        os.unlink(body.name)
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed: {done.stderr[-2000:]}")
    return Result(**json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--body", help="request body (text)")
    parser.add_argument("--body-file", help="request body (a file's bytes)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--cpu", type=int, help="pin the load generator to this CPU")
    parser.add_argument("--client", choices=CLIENTS, default="raw")
    args = parser.parse_args()
    body = args.body.encode() if args.body is not None else None
    if args.body_file:
        with open(args.body_file, "rb") as source:
            body = source.read()
    headers = dict(h.split(":", 1) for h in args.header)
    request = Request(
        args.url, args.method, body, {k.strip(): v.strip() for k, v in headers.items()}
    )
    pin(args.cpu)
    if args.client == "wrk":
        if shutil.which("wrk") is None:
            raise SystemExit("wrk is not installed (apt-get install wrk)")
        result = run_wrk(request, args.concurrency, args.warmup, args.seconds)
    else:
        runner = run_raw if args.client == "raw" else run_httpx
        try:
            import uvloop
        except ImportError:
            result = asyncio.run(runner(request, args.concurrency, args.warmup, args.seconds))
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner_loop:
                result = runner_loop.run(
                    runner(request, args.concurrency, args.warmup, args.seconds)
                )
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main()
