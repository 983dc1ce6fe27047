"""A small HTTP/1.1 load generator for the benchmarks, meant to run in its own process.

httpx spends more CPU per request than a single-worker uvicorn service does, so on a small
machine it would measure itself. This one writes pre-built requests over keep-alive
connections (asyncio streams) and reads back only the status line, the headers it needs
(``Content-Length``, ``Transfer-Encoding``, ``Retry-After``, ``Connection``) and the body.

Two modes, each returning one record per request: ``(index, status, latency_s, done_wall)``
where ``done_wall`` is ``time.time()`` when the answer had been read in full.

- closed loop (``run_closed``): ``concurrency`` connections, each sending its next request
  as soon as the previous one was answered; a request shed with 429/503 goes back into the
  queue after its ``Retry-After`` (as an applicant would send it again), and each attempt is
  a record.
- open loop (``run_paced``): request ``i`` is due at ``start + i / rate``; its latency is
  counted from that moment (so a backlog shows as latency rather than as a slower
  schedule). Connections come from a pool that grows as needed.

``python loadgen.py raw PORT`` serves a fixed answer from a bare asyncio protocol (to
measure the generator's own ceiling); ``python loadgen.py bare PORT`` serves one FastAPI
route under uvicorn, started as the services start it (the machine's ceiling for a Python
service).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections import deque

Request = bytes
Record = tuple[int, int, float, float]


def build_request(
    method: str, path: str, host: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> Request:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# A server closes a keep-alive connection it has not used for a while (uvicorn: 5 s unless
# told otherwise): a connection idle for longer than this is dropped rather than written to
# while the server closes it.
IDLE_EXPIRY = 4.0


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        return cls(reader, writer)

    async def exchange(self, request: Request) -> tuple[int, float, bool]:
        """``(status, retry_after, keep_alive)`` once the whole answer has been read."""
        self.last_used = time.monotonic()
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, chunked, retry_after, keep_alive = 0, False, 0.0, True
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "retry-after":
                retry_after = float(value.strip() or 0)
            elif name == "connection" and "close" in value.lower():
                keep_alive = False
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        self.last_used = time.monotonic()
        return status, retry_after, keep_alive

    def close(self) -> None:
        self.writer.close()


SHED = (429, 503)


async def _closed(
    host: str, port: int, requests: list[Request], concurrency: int, retry_shed: bool
) -> list[Record]:
    queue: deque[int] = deque(range(len(requests)))
    records: list[Record] = []
    remaining = len(requests)
    wake = asyncio.Event()
    loop = asyncio.get_running_loop()

    def requeue(index: int) -> None:
        queue.append(index)
        wake.set()

    async def worker() -> None:
        nonlocal remaining
        connection: Connection | None = None
        while remaining > 0:
            if not queue:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), 0.05)
                continue
            index = queue.popleft()
            if connection is not None and time.monotonic() - connection.last_used > IDLE_EXPIRY:
                connection.close()
                connection = None
            if connection is None:
                connection = await Connection.open(host, port)
            started = time.perf_counter()
            try:
                status, retry_after, keep_alive = await connection.exchange(requests[index])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status, retry_after, keep_alive = 0, 0.0, False
            records.append((index, status, time.perf_counter() - started, time.time()))
            if status in SHED and retry_shed:
                loop.call_later(retry_after, requeue, index)
            else:
                remaining -= 1
            if not keep_alive:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return records


async def _paced(
    host: str, port: int, requests: list[Request], rate: float, max_connections: int
) -> list[Record]:
    pool: list[Connection] = []
    opened = 0
    free = asyncio.Condition()
    records: list[Record] = []

    async def acquire() -> Connection:
        nonlocal opened
        async with free:
            while not pool and opened >= max_connections:
                await free.wait()
            while pool:
                connection = pool.pop()
                if time.monotonic() - connection.last_used < IDLE_EXPIRY:
                    return connection
                connection.close()
                opened -= 1
            opened += 1
        return await Connection.open(host, port)

    async def release(connection: Connection | None) -> None:
        nonlocal opened
        async with free:
            if connection is None:
                opened -= 1
            else:
                pool.append(connection)
            free.notify()

    async def one(index: int, due: float) -> None:
        connection = await acquire()
        try:
            status, _, keep_alive = await connection.exchange(requests[index])
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status, keep_alive = 0, False
        records.append((index, status, time.perf_counter() - due, time.time()))
        if not keep_alive:
            connection.close()
            connection = None
        await release(connection)

    start = time.perf_counter() + 0.05
    tasks = []
    for index in range(len(requests)):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    for connection in pool:
        connection.close()
    return records


def run_closed(
    host: str, port: int, requests: list[Request], concurrency: int, retry_shed: bool = True
) -> tuple[list[Record], float, float]:
    """``(records, wall seconds, CPU seconds of this process)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    records = asyncio.run(_closed(host, port, requests, concurrency, retry_shed))
    return records, time.perf_counter() - wall, time.process_time() - cpu


def run_paced(
    host: str, port: int, requests: list[Request], rate: float, max_connections: int = 256
) -> tuple[list[Record], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    records = asyncio.run(_paced(host, port, requests, rate, max_connections))
    return records, time.perf_counter() - wall, time.process_time() - cpu


# --- servers for the ceilings -------------------------------------------------------------

RAW_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
    b'{"ok":true}'
)


class _RawServer(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            self.buffer = self.buffer[end + 4 :]  # the benchmark's requests have no body here
            self.transport.write(RAW_ANSWER)


def serve_raw(port: int) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_RawServer, "127.0.0.1", port)
        await server.serve_forever()

    asyncio.run(main())


def serve_bare(port: int) -> None:
    """One route, uvicorn started with the arguments ``sfms_shared.cli.run_service`` uses."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/submit")
    async def submit() -> dict[str, object]:
        return {"receipt_number": "SF2026-0000001", "version": 1, "status": "submitted"}

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    {"raw": serve_raw, "bare": serve_bare}[sys.argv[1]](int(sys.argv[2]))
