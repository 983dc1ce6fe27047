"""Where document bytes live. Local disk in embedded mode; an S3-compatible store can
implement the same interface (write under a temporary name, then commit or discard).

Intake writes; stored bytes never change. Services downstream read them by the storage
name carried in the submission event (``DocumentRef.storage_name``), read-only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import anyio


class PendingObject(Protocol):
    async def write(self, chunk: bytes) -> None: ...
    async def commit(self) -> str:
        """Make the object durable and return its storage name."""
        ...

    async def discard(self) -> None: ...


class DocumentStore(Protocol):
    def begin(self) -> PendingObject: ...
    def read(self, storage_name: str, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]: ...
    async def delete(self, storage_name: str) -> None: ...


class LocalDocumentStore:
    """Files under ``root/<2 hex>/<uuid>``; names are made here, never taken from the client."""

    def __init__(self, root: Path, *, writable: bool = True) -> None:
        self.root = root
        if writable:
            (root / "incoming").mkdir(parents=True, exist_ok=True)

    def begin(self) -> _LocalPending:
        return _LocalPending(self.root, uuid.uuid4().hex)

    async def read(self, storage_name: str, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]:
        async with await anyio.open_file(self._path(storage_name), "rb") as handle:
            while chunk := await handle.read(chunk_size):
                yield chunk

    async def read_bytes(self, storage_name: str, max_bytes: int) -> bytes:
        """The whole object, refused (ValueError) when it is larger than ``max_bytes``."""
        path = anyio.Path(self._path(storage_name))
        if (await path.stat()).st_size > max_bytes:
            raise ValueError(f"{storage_name} is larger than {max_bytes} bytes")
        return await path.read_bytes()

    async def delete(self, storage_name: str) -> None:
        await anyio.Path(self._path(storage_name)).unlink(missing_ok=True)

    def _path(self, storage_name: str) -> Path:
        if not storage_name.isalnum():
            raise ValueError("storage names are generated hex strings")
        return self.root / storage_name[:2] / storage_name


class _LocalPending:
    def __init__(self, root: Path, name: str) -> None:
        self._root = root
        self._name = name
        self._incoming = root / "incoming" / f"{name}.part"
        self._handle = open(self._incoming, "wb")  # noqa: SIM115 - closed in commit/discard

    async def write(self, chunk: bytes) -> None:
        await anyio.to_thread.run_sync(self._handle.write, chunk)

    async def commit(self) -> str:
        def _finish() -> None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            target = self._root / self._name[:2]
            target.mkdir(exist_ok=True)
            os.replace(self._incoming, target / self._name)

        await anyio.to_thread.run_sync(_finish)
        return self._name

    async def discard(self) -> None:
        self._handle.close()
        self._incoming.unlink(missing_ok=True)
