"""A small HTTP/1.1 load generator for loopback benchmarks, run in its own process.

    python bench/loadgen.py http://127.0.0.1:8000/path --requests 2000 --concurrency 8 --max-seconds 20

Keep-alive connections, one GET after another on each, ``--concurrency`` connections at once. It
stops after ``--requests`` requests or ``--max-seconds``, whichever comes first, and prints one JSON
object: requests done, seconds, requests per second, latencies and status codes. It talks to
127.0.0.1 / localhost only. Written on raw asyncio streams rather than an HTTP library so that the
client costs little CPU: on a 2-core machine it shares the cores with the server it measures.
"""

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Budget:
    """Requests still to send, and the moment to stop sending them."""

    def __init__(self, requests: int, max_seconds: float):
        self.remaining = requests
        self.deadline = time.monotonic() + max_seconds

    def take(self) -> bool:
        if self.remaining <= 0 or time.monotonic() >= self.deadline:
            return False
        self.remaining -= 1
        return True


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server will close the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the empty line
                    pass
                break
            await reader.readexactly(size + 2)
    return status, headers.get("connection") == "close"


async def connection_loop(host, port, request: bytes, budget: Budget, latencies: list, statuses: Counter):
    reader = writer = None
    try:
        while budget.take():
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            try:
                writer.write(request)
                status, closing = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                statuses[f"error:{type(error).__name__}"] += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            statuses[str(status)] += 1
            if closing:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def run(url: str, *, requests: int, concurrency: int, max_seconds: float, cookie: str = "",
              accept: str = "text/html") -> dict:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing to load anything but http on loopback: {url}")
    host, port = parts.hostname, parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: samenlab-bench\r\n"
        f"Accept: {accept}\r\nAccept-Language: nl\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n"
    ).encode("latin-1")
    budget = Budget(requests, max_seconds)
    latencies: list[float] = []
    statuses: Counter = Counter()
    started = time.perf_counter()
    await asyncio.gather(*[
        connection_loop(host, port, request, budget, latencies, statuses) for _ in range(concurrency)
    ])
    seconds = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2) if latencies else 0.0

    done = len(latencies)
    return {
        "url": url, "requests": done, "seconds": round(seconds, 3), "rps": round(done / seconds, 1) if seconds else 0,
        "concurrency": concurrency, "statuses": dict(statuses),
        "latency_ms": {"p50": percentile(0.50), "p95": percentile(0.95), "max": percentile(1.0)},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=20.0)
    parser.add_argument("--cookie", default="", help="a Cookie header value, e.g. sessionid=…")
    parser.add_argument("--accept", default="text/html", help="the Accept header (default text/html)")
    args = parser.parse_args(argv)
    try:
        import uvloop  # installed with uvicorn[standard]; a cheaper event loop leaves more CPU to the server

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    result = runner(run(args.url, requests=args.requests, concurrency=args.concurrency,
                             max_seconds=args.max_seconds, cookie=args.cookie, accept=args.accept))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
