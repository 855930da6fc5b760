"""Fetch one remote source into the snapshot store: conditional, size-bounded, retried.

`fetch_source()` never raises for what the network or the server does: every outcome is a
`FetchResult`, and a failed fetch still names the last good snapshot so a run can go on from it.
It raises only for caller mistakes (an entry with no url, an id that cannot name a folder).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

import httpcore
import httpx
from filelock import FileLock, Timeout

from smartspec.inputs.sources import SourceConfig
from smartspec.fetching.formats import HEAD_BYTES, Format, check_magic, describe_unknown, expected_format
from smartspec.fetching.snapshots import (
    LOCK_NAME,
    FetchState,
    Snapshot,
    current_snapshot,
    find_by_sha256,
    load_snapshot,
    read_state,
    snapshot_name,
    source_dir,
    store_snapshot,
    write_state,
)

logger = logging.getLogger(__name__)

Status = Literal["fetched", "not_modified", "unchanged_content", "failed"]


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The tunables of fetching; tests shrink them, the flow may build one from Settings."""

    timeout: float = 30.0  # seconds per network operation (connect, each read, ...)
    max_bytes: int = 100_000_000  # 100 MB: a larger body is refused, nothing is kept
    retries: int = 3  # retries after the first attempt, on network errors and 5xx only
    backoff: float = 0.5  # seconds before retry n is backoff * 2**(n-1); 0 in tests
    allowed_schemes: tuple[str, ...] = ("http", "https")  # checked on every redirect hop too
    user_agent: str | None = None  # None: "smartspec/<installed version>"
    # seconds for the whole fetch: connect, headers, body and retries together, however
    # slowly a server trickles (`fetch_deadline_s`)
    deadline: float = 300.0
    lock_timeout: float = 60.0  # wait this long for another fetch of the same source
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delay_before(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        return self.backoff * 2 ** (retry - 1)


# When the fetch running in this thread must be over (time.monotonic()); None outside a fetch.
_DEADLINE: ContextVar[float | None] = ContextVar("smartspec_fetch_deadline", default=None)


def _seconds_left() -> float:
    deadline = _DEADLINE.get()
    return math.inf if deadline is None else deadline - time.monotonic()


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` of one network operation, cut to what is left of the fetch's deadline."""
    left = _seconds_left()
    if left <= 0:
        raise expired("the fetch's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline: httpx's timeouts
    bound one operation each, so a server sending a byte every few seconds was never cut off."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_tcp(
            host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_unix_socket(
            path, _bounded(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def with_deadline(client: httpx.Client) -> httpx.Client:
    """`client`, its connections bounded by the deadline of the fetch running (none outside one).

    httpx has no public way to give a transport a network backend, so this wraps the one of
    each of the client's connection pools (its own and its proxies'); a test checks it works.
    """
    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)
    return client


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch did. `snapshot_path` is the file to read, even after a failure."""

    source_id: str
    status: Status
    snapshot_path: Path | None  # current snapshot after this fetch; None: nothing ever fetched
    fetched_at: datetime | None  # when snapshot_path was fetched
    last_success_at: datetime | None  # last time the server answered 200 or 304
    http_status: int | None
    error: str | None
    etag: str | None
    sha256: str | None  # of snapshot_path
    # the snapshot that was current before this fetch made another one current; None if none
    # was or it stays current (`restore_current` makes it current again)
    replaced: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


class _Failure(Exception):
    def __init__(self, message: str, http_status: int | None = None, *, retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class _Response:
    """A 200 (body saved in `temp`) or a 304 (no body) from the server."""

    http_status: int
    final_url: str
    etag: str | None
    last_modified: str | None
    content_type: str | None
    received_at: datetime
    temp: Path | None = None
    sha256: str | None = None
    size: int = 0
    format: Format | None = None


def default_user_agent() -> str:
    try:
        return f"smartspec/{version('smartspec')}"
    except PackageNotFoundError:
        return "smartspec/0+unknown"


def fetch_source(
    config: SourceConfig,
    snapshots_dir: Path,
    *,
    client: httpx.Client | None = None,
    policy: FetchPolicy = FetchPolicy(),
) -> FetchResult:
    """Fetch `config.url` into `<snapshots_dir>/<config.id>/` and say what happened.

    `snapshots_dir` is the store's root, `raw/_snapshots` (see `snapshots_root`). A passed
    `client` is used with its proxy and TLS settings and not closed; redirects, timeout and
    User-Agent are set per request, and `policy.deadline` bounds every network operation.
    """
    if not config.url:
        raise ValueError(f"{config.id}: sources.toml gives no url to fetch")
    folder = source_dir(snapshots_dir, config.id)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK_NAME)
    try:
        lock.acquire(timeout=policy.lock_timeout)
    except Timeout:
        error = f"busy: another fetch of {config.id} holds {folder / LOCK_NAME}"
        logger.warning("%s: %s", config.id, error)
        current = _load_current(snapshots_dir, config.id)
        state = read_state(snapshots_dir, config.id)
        return _failed_result(config.id, _Failure(error), current, state)
    deadline = _DEADLINE.set(time.monotonic() + policy.deadline)
    try:
        return _fetch_locked(config, snapshots_dir, client, policy)
    finally:
        _DEADLINE.reset(deadline)
        lock.release()


def _fetch_locked(
    config: SourceConfig, snapshots_dir: Path, client: httpx.Client | None, policy: FetchPolicy
) -> FetchResult:
    attempted_at = _now()
    previous = read_state(snapshots_dir, config.id)
    current = _load_current(snapshots_dir, config.id)
    etag, last_modified = _validators(previous, current)
    try:
        _check_url(config.url, policy)
        response = _request(config, snapshots_dir, etag, last_modified, client, policy)
        if response.temp is None:
            return _record_not_modified(config, snapshots_dir, attempted_at, previous, current, response)
    except _Failure as failure:
        return _record_failure(config, snapshots_dir, attempted_at, previous, current, failure)
    try:
        return _record_download(config, snapshots_dir, attempted_at, current, response)
    finally:
        response.temp.unlink(missing_ok=True)


def _load_current(snapshots_dir: Path, source_id: str) -> Snapshot | None:
    path = current_snapshot(snapshots_dir, source_id)
    return load_snapshot(path) if path is not None else None


def _validators(previous: FetchState | None, current: Snapshot | None) -> tuple[str | None, str | None]:
    """ETag and Last-Modified to send: the newest the server gave for the current content."""
    if current is None:
        return None, None
    if previous is not None and previous.current == current.path.name:
        return previous.etag, previous.last_modified
    return current.etag, current.last_modified


def _check_url(url: str, policy: FetchPolicy, *, redirected: bool = False) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as e:
        raise _Failure(f"refused: invalid URL {url!r}: {e}") from e
    if parsed.scheme not in policy.allowed_schemes:
        message = f"refused: only {' and '.join(policy.allowed_schemes)} URLs are fetched"
        raise _Failure(message + (f" (redirected to {url})" if redirected else ""))
    if not parsed.host:
        raise _Failure(f"refused: invalid URL {url!r}: no host")


def _request(
    config: SourceConfig,
    snapshots_dir: Path,
    etag: str | None,
    last_modified: str | None,
    client: httpx.Client | None,
    policy: FetchPolicy,
) -> _Response:
    headers = {"User-Agent": policy.user_agent or default_user_agent()}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    folder = source_dir(snapshots_dir, config.id)
    http = with_deadline(client if client is not None else httpx.Client())
    try:
        attempts = policy.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return _attempt(http, config.url, headers, folder, policy)
            except _Failure as failure:
                if not failure.retryable or attempt == attempts:
                    raise
                delay = policy.delay_before(attempt)
                if delay >= _seconds_left():
                    raise _Failure(_too_slow(policy)) from failure
                logger.info(
                    "%s: %s; retry %d of %d in %.1f s", config.id, failure.message, attempt, policy.retries, delay
                )
                policy.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")
    finally:
        if client is None:
            http.close()


def _attempt(http: httpx.Client, url: str, headers: dict[str, str], folder: Path, policy: FetchPolicy) -> _Response:
    try:
        with http.stream("GET", url, headers=headers, follow_redirects=True, timeout=policy.timeout) as response:
            for hop in (*response.history, response):  # every hop, the final URL included
                _check_url(str(hop.url), policy, redirected=bool(response.history))
            status = response.status_code
            if status >= 500:
                raise _Failure(_http_error(status), status, retryable=True)
            if status not in (200, 304):
                raise _Failure(_http_error(status), status)
            content_type = response.headers.get("content-type")
            meta = dict(
                http_status=status, final_url=str(response.url), etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"), content_type=content_type,
            )
            if status == 304:
                return _Response(**meta, received_at=_now())
            fmt = expected_format(url, str(response.url), response.headers.get("content-disposition"), content_type)
            if fmt is None:
                raise _Failure(describe_unknown(content_type), status)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise _Failure(_too_large(policy), status)
            temp, sha256, size = _save_body(response, folder, fmt, policy)
            return _Response(**meta, received_at=_now(), temp=temp, sha256=sha256, size=size, format=fmt)
    except httpx.TimeoutException as e:
        if _seconds_left() <= 0:
            raise _Failure(_too_slow(policy)) from e
        raise _Failure(f"unreachable: {_reason(e)}", retryable=True) from e
    except httpx.UnsupportedProtocol as e:  # a redirect to ftp:, file:, ...
        raise _Failure(f"refused: only {' and '.join(policy.allowed_schemes)} URLs are fetched ({e})") from e
    except httpx.TransportError as e:
        raise _Failure(f"unreachable: {_reason(e)}", retryable=True) from e
    except httpx.TooManyRedirects as e:
        raise _Failure(f"too many redirects: {_reason(e)}") from e
    except httpx.RequestError as e:  # e.g. a body that does not decode as its Content-Encoding says
        raise _Failure(f"bad response: {_reason(e)}") from e


def _save_body(response: httpx.Response, folder: Path, fmt: Format, policy: FetchPolicy) -> tuple[Path, str, int]:
    """Stream the body to a hidden temp file in `folder`: (temp path, sha256, bytes).

    Stops past `max_bytes` or the deadline and when the first bytes do not fit `fmt`; the temp
    file is removed on every way out but success.
    """
    fd, name = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".part")
    temp = Path(name)
    digest, size, head, checked = hashlib.sha256(), 0, b"", False
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise _Failure(_too_large(policy), response.status_code)
                if _seconds_left() <= 0:
                    raise _Failure(_too_slow(policy), response.status_code)
                if not checked:
                    head += chunk[: HEAD_BYTES - len(head)]
                    if len(head) >= HEAD_BYTES:  # enough to judge: stop a wrong body early
                        _check_magic(head, fmt, response.status_code)
                        checked = True
                digest.update(chunk)
                fh.write(chunk)
            if not checked:  # a body shorter than HEAD_BYTES
                _check_magic(head, fmt, response.status_code)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, digest.hexdigest(), size


def _check_magic(head: bytes, fmt: Format, http_status: int) -> None:
    problem = check_magic(head, fmt)
    if problem is not None:
        raise _Failure(problem, http_status)


def _record_download(
    config: SourceConfig, snapshots_dir: Path, attempted_at: datetime, current: Snapshot | None, response: _Response
) -> FetchResult:
    existing = find_by_sha256(snapshots_dir, config.id, response.sha256)
    if existing is None:
        folder = source_dir(snapshots_dir, config.id)
        snapshot = Snapshot(
            path=folder / snapshot_name(response.received_at, response.sha256, response.format.suffix),
            source_id=config.id, url=config.url, final_url=response.final_url, fetched_at=response.received_at,
            etag=response.etag, last_modified=response.last_modified, sha256=response.sha256,
            bytes=response.size, content_type=response.content_type, http_status=response.http_status,
        )
        store_snapshot(response.temp, snapshot)
        status: Status = "fetched"
        logger.info("%s: fetched %s (%d bytes) into %s", config.id, config.url, response.size, snapshot.path.name)
    else:
        # Same bytes as a stored snapshot: keep no duplicate. If it is not the current one the
        # source went back to an older version, and that version becomes current again.
        snapshot = load_snapshot(existing)
        status = "unchanged_content" if current is not None and current.path == existing else "fetched"
        logger.info("%s: content of %s is %s, already stored", config.id, config.url, existing.name)
    _write_state(config, snapshots_dir, attempted_at, status, response.http_status, None,
                 response.received_at, snapshot, response.etag, response.last_modified)
    replaced = current.path if current is not None and current.path != snapshot.path else None
    return FetchResult(config.id, status, snapshot.path, snapshot.fetched_at, response.received_at,
                       response.http_status, None, response.etag, snapshot.sha256, replaced)


def _record_not_modified(
    config: SourceConfig, snapshots_dir: Path, attempted_at: datetime, previous: FetchState | None,
    current: Snapshot | None, response: _Response,
) -> FetchResult:
    if current is None:  # we sent no validators, so a 304 makes no sense
        failure = _Failure("HTTP 304 Not Modified, but no snapshot is stored", response.http_status)
        return _record_failure(config, snapshots_dir, attempted_at, previous, None, failure)
    sent_etag, sent_last_modified = _validators(previous, current)
    etag = response.etag or sent_etag  # a 304 may carry newer validators
    last_modified = response.last_modified or sent_last_modified
    _write_state(config, snapshots_dir, attempted_at, "not_modified", response.http_status, None,
                 response.received_at, current, etag, last_modified)
    logger.info("%s: %s not modified since %s", config.id, config.url, current.path.name)
    return FetchResult(config.id, "not_modified", current.path, current.fetched_at, response.received_at,
                       response.http_status, None, etag, current.sha256)


def _record_failure(
    config: SourceConfig, snapshots_dir: Path, attempted_at: datetime, previous: FetchState | None,
    current: Snapshot | None, failure: _Failure,
) -> FetchResult:
    result = _failed_result(config.id, failure, current, previous)
    etag, last_modified = _validators(previous, current)
    _write_state(config, snapshots_dir, attempted_at, "failed", failure.http_status, failure.message,
                 result.last_success_at, current, etag, last_modified)
    going_on = f"; going on from {current.path.name}" if current is not None else "; no snapshot to go on from"
    logger.warning("%s: fetching %s failed: %s%s", config.id, config.url, failure.message, going_on)
    return result


def _failed_result(
    source_id: str, failure: _Failure, current: Snapshot | None, previous: FetchState | None
) -> FetchResult:
    if previous is not None:
        last_success_at = previous.last_success_at
    else:  # no state.json (deleted by hand): a stored snapshot was a success all the same
        last_success_at = current.fetched_at if current is not None else None
    etag = _validators(previous, current)[0]
    if current is None:
        return FetchResult(source_id, "failed", None, None, last_success_at, failure.http_status,
                           failure.message, etag, None)
    return FetchResult(source_id, "failed", current.path, current.fetched_at, last_success_at,
                       failure.http_status, failure.message, etag, current.sha256)


def _write_state(
    config: SourceConfig, snapshots_dir: Path, attempted_at: datetime, status: Status, http_status: int | None,
    error: str | None, last_success_at: datetime | None, current: Snapshot | None, etag: str | None,
    last_modified: str | None,
) -> None:
    write_state(snapshots_dir, FetchState(
        source_id=config.id, url=config.url, attempted_at=attempted_at, ok=status != "failed", status=status,
        http_status=http_status, error=error, last_success_at=last_success_at,
        current=current.path.name if current is not None else None, etag=etag, last_modified=last_modified,
    ))


def _http_error(status: int) -> str:
    return f"HTTP {status} {httpx.codes.get_reason_phrase(status) or 'Unknown Status'}".rstrip()


def _too_slow(policy: FetchPolicy) -> str:
    return f"too slow: no complete answer within {policy.deadline:g} s (fetch_deadline_s)"


def _too_large(policy: FetchPolicy) -> str:
    return f"too large: more than {policy.max_bytes} bytes"


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


def _now() -> datetime:
    return datetime.now(UTC)
