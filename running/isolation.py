"""One document's work in a child process, with a time limit and a memory bound.

A reader that loops, hangs or balloons on a hostile file must cost the run one `sources`
row, not the run. `run_isolated()` runs a callable in a child process and returns its
result, or raises an `IsolationError` that says in plain words what happened:

- `DocumentTimedOut`: "timed out after 120 s"; the child is killed (SIGTERM, then SIGKILL);
- `DocumentOutOfMemory`: "ran out of memory (limit 2048 MB)"; the child's address space is
  capped with `RLIMIT_AS` at what it inherited plus the limit, so a runaway allocation
  fails inside the child (MemoryError) instead of pushing the machine into swap;
- `ReaderCrashed`: "reader crashed: exit code 1" or "... killed by signal SIGSEGV".

The child is forked where the platform can (the parent's spaCy pipelines are shared
copy-on-write, so starting one costs milliseconds), else spawned. Any other exception the
callable raises (an `ExtractionError`, or a bug) is raised again in the parent, with the
child's traceback as its cause. Log records the child emits are replayed in the parent, so
they reach the run's handlers (Prefect's included).

`process_source_isolated()` is `smartspec.running.steps.process_source()` run this way, with the size
and page caps of `Settings` checked around it: every outcome is a `SourceOutcome`. Before it
forks, it builds in the parent (`warm_up()`) what extraction would otherwise build in every
child: the stop-word lists language detection reads, and the spaCy pipeline of each language
an earlier document needed. A language's first document builds its pipeline in its own child,
so a lone document (`smartspec extract` on one file) builds only its own language's, once.

A worker process that is itself a daemon (a Dask worker, by default) may not start child
processes; there the work runs in-process, unbounded, and a warning says so.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, TypeVar

from smartspec.extractors.curation import CurationEntry
from smartspec.extractors.extract import Toolkit
from smartspec.extractors.language import detect_language, document_language
from smartspec.extractors.readers import load_reader
from smartspec.extractors.settings import Settings
from smartspec.extractors.hashing import FileHash, current_hash
from smartspec.inputs.sources import SourceFile
from smartspec.running import steps
from smartspec.running.admission import failed, refusal
from smartspec.running.child import collect_logs, lift_memory_limit, limit_resources, start_context
from smartspec.running.readahead import ReadAhead
from smartspec.schemas.vocabulary import TOO_MANY_PAGES_ERROR

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a child gets to exit after SIGTERM before SIGKILL, and to exit after sending its result.
KILL_GRACE_S = 1.0
EXIT_GRACE_S = 10.0
# The name of every child process run_isolated() starts begins with this.
CHILD_PREFIX = "smartspec-"
# Seconds process_sources_isolated() waits at most for a first document read ahead, to build its
# language's pipeline once before forking children rather than in each of those started at once
# (a pipeline takes 0.3 s, Swedish's a second).
FIRST_DOCUMENT_WAIT_S = 1.0
# Seconds between two rounds of stopping the children of an interrupted process_sources_isolated().
STOP_POLL_S = 0.1

# Creating a child's pipe, forking it and closing the parent's copy of the write end happen
# under this lock, so that no other thread forks in between: a child forked there would
# inherit the write end and keep the pipe open after the real child died. `warm_up()` holds
# it too, so that no child is forked while a thread is inside the shared pipelines.
_START_LOCK = threading.Lock()


class IsolationError(Exception):
    """The child did not return a result. `message` is what a user reads in `sources`; the
    class's name is its `error_type`, as an extraction error's is."""

    error_type = "IsolationError"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.error_type = cls.__name__

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentTimedOut(IsolationError):
    """The child ran past `document_timeout_s`."""


class DocumentOutOfMemory(IsolationError):
    """The child ran out of the memory `document_memory_mb` allows it."""


class ReaderCrashed(IsolationError):
    """The child died without a result (a signal, the system's out-of-memory killer)."""


# error_type of the rows read_isolated() makes itself. They say what happened to this run
# under these limits, not what the document holds: do not cache them by content.
LIMIT_ERROR_TYPES = frozenset({
    DocumentTimedOut.error_type, DocumentOutOfMemory.error_type, ReaderCrashed.error_type, TOO_MANY_PAGES_ERROR,
})


class ChildTraceback(Exception):
    """The traceback of an exception raised in the child; the `__cause__` of the re-raised one."""


# --- in the child ------------------------------------------------------------------------


def _rebuild(kind: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


def _portable(error: BaseException) -> tuple[Any, ...]:
    """How to send `error` to the parent: pickled as is if that round-trips, else rebuilt from
    its class, args and attributes (exceptions with their own __init__ do not unpickle), else
    as a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(error))
        return ("raw", error)
    except Exception:  # noqa: BLE001 - any failure to pickle means "try the next way"
        pass
    try:
        pickle.dumps((type(error), error.args, error.__dict__))
        return ("rebuild", type(error), error.args, error.__dict__)
    except Exception:  # noqa: BLE001
        return ("raw", RuntimeError(f"{type(error).__module__}.{type(error).__qualname__}: {error}"))


def _child(sender, function: Callable[..., Any], args: tuple[Any, ...], memory_mb: float | None,
           timeout_s: float) -> None:
    # A forked child inherits the parent's handlers (Prefect's raises on SIGTERM, printing a
    # traceback): the parent's SIGTERM, whether the work is done or has run out of time, must
    # simply end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    collector = collect_logs()
    try:
        limit_resources(memory_mb, timeout_s)
        reply: tuple[Any, ...] = ("ok", function(*args))
    except MemoryError:
        reply = ("oom",)
    except BaseException as error:  # noqa: BLE001 - every exception goes back to the parent
        reply = ("error", _portable(error), traceback.format_exc())
    lift_memory_limit()  # sending the reply must not fail for the limit the work had
    try:
        sender.send((reply, collector.records, collector.dropped))
    except Exception as error:  # noqa: BLE001 - the result itself would not pickle
        failure = RuntimeError(f"the result could not be sent to the parent process: {error}")
        sender.send((("error", ("raw", failure), traceback.format_exc()), collector.records, collector.dropped))
    finally:
        sender.close()


# --- in the parent -----------------------------------------------------------------------


def _stop(process) -> None:
    if process.is_alive():
        process.terminate()
        process.join(KILL_GRACE_S)
    if process.is_alive():
        process.kill()
    process.join()


def _crash_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (the system may have run out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"reader crashed: killed by {name}{hint}"
    return f"reader crashed: exit code {exitcode}"


def _replay(records: list[logging.LogRecord], dropped: int) -> None:
    for record in records:
        target = logging.getLogger(record.name)
        if target.isEnabledFor(record.levelno):
            target.handle(record)
    if dropped:
        logger.warning("%d more log records of the child process were dropped", dropped)


def _unwrap(reply: tuple[Any, ...], memory_mb: float | None) -> Any:
    kind = reply[0]
    if kind == "ok":
        return reply[1]
    if kind == "oom":
        raise DocumentOutOfMemory(f"ran out of memory (limit {memory_mb:g} MB)")
    how, *parts = reply[1]
    error = parts[0] if how == "raw" else _rebuild(*parts)
    raise error from ChildTraceback("\n" + reply[2])


def run_isolated(function: Callable[..., T], *args: Any, timeout_s: float, memory_mb: float | None = None) -> T:
    """`function(*args)` in a child process: its result, or an IsolationError.

    `timeout_s` bounds the wall-clock time until the result arrives; `memory_mb` the memory
    the child may map beyond what it inherited (None: no bound). Exceptions `function`
    raises are raised here. Under fork, `function` and `args` are not pickled; the result is.
    """
    if multiprocessing.current_process().daemon:
        logger.warning("running %s without a time or memory limit: this worker process is a daemon "
                       "and may not start child processes", getattr(function, "__name__", function))
        return function(*args)
    context = start_context()
    with _START_LOCK:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(sender, function, args, memory_mb, timeout_s), daemon=True,
                                  name=f"{CHILD_PREFIX}{getattr(function, '__name__', 'work')}")
        # The child's garbage collector must not walk the objects it inherited: touching
        # them would copy every page of the parent's heap (spaCy's tables, the gazetteer)
        # into each child. Frozen at the fork, they are the child's permanent generation.
        gc.freeze()
        try:
            process.start()
        finally:
            gc.unfreeze()
        sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise DocumentTimedOut(f"timed out after {timeout_s:g} s")
        try:
            reply, records, dropped = receiver.recv()
        except (EOFError, OSError):
            process.join(EXIT_GRACE_S)
            raise ReaderCrashed(_crash_message(process.exitcode)) from None
    finally:
        _stop(process)
        receiver.close()
    _replay(records, dropped)
    return _unwrap(reply, memory_mb)


# --- one source --------------------------------------------------------------------------


# Neutral words, enough of them for language detection to weigh every candidate language.
_WARM_UP_TEXT = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"


def warm_up(toolkit: Toolkit) -> None:
    """Build in this process, for the children forked from it to inherit, the stop-word lists
    of language detection and the pipelines of the languages earlier documents' children
    needed (`toolkit.wanted`). No other language's: building one costs a second of a document
    that may be the only one in it.

    After the first call it costs a millisecond or two.
    """
    with _START_LOCK:  # no child is forked from the middle of it (the flow's worker threads)
        detect_language([_WARM_UP_TEXT])
        for language in toolkit.wanted:  # what earlier documents built in their children
            toolkit.pipeline(language)


def process_source_isolated(source: SourceFile, toolkit: Toolkit, settings: Settings,
                            curation: CurationEntry | None = None,
                            document: Document | None = None) -> steps.SourceOutcome:
    """`steps.process_source()` in a child process, within the limits `settings` sets.

    Before reading, `admission.refusal()` refuses what must not be opened (a link out of
    raw/, a FIFO, a file over `max_file_mb`, ...); then `read_isolated()`. Each refusal is a
    failed `SourceOutcome` whose message says why; bugs (non-ExtractionError exceptions)
    still propagate. `document` is the file already read (running/readahead.py), if it was.
    """
    refused = refusal(source, settings)
    return refused if refused is not None else read_isolated(source, toolkit, settings, curation, document)


def _process_source(source: SourceFile, toolkit: Toolkit, curation: CurationEntry | None,
                    document: Document | None) -> tuple[steps.SourceOutcome, tuple[str, ...]]:
    """`steps.process_source()`, and the languages whose pipelines the toolkit has now."""
    return steps.process_source(source, toolkit, curation, document), tuple(toolkit.built)


def read_isolated(source: SourceFile, toolkit: Toolkit, settings: Settings,
                  curation: CurationEntry | None = None, document: Document | None = None) -> steps.SourceOutcome:
    """`steps.process_source()` in a child process, for a path `admission.refusal()` let through.

    While reading, `document_timeout_s` and `document_memory_mb` bound the child; after, a
    document of more than `max_pages` pages is refused.
    """
    warm_up(toolkit)
    if document is None:
        load_reader(source.path)  # imported here, not again in each child
    try:
        outcome, languages = run_isolated(_process_source, source, toolkit, curation, document,
                                          timeout_s=settings.document_timeout_s, memory_mb=settings.document_memory_mb)
    except IsolationError as error:
        try:  # the file as it was hashed for the cache, if it still is
            hashed: FileHash | None = current_hash(source.path, source.hashed)
        except OSError:
            hashed = None
        return failed(source, error.error_type, error.message, size=hashed.size if hashed else 0,
                      sha256=hashed.sha256 if hashed else None)
    with _START_LOCK:  # not while a warm-up in another thread goes through them
        toolkit.wanted.update(languages)  # built by the next warm-up, for the next children to inherit
    record = outcome.source
    if record.pages is not None and record.pages > settings.max_pages:
        return failed(source, TOO_MANY_PAGES_ERROR, f"too many pages: {record.pages} (limit {settings.max_pages})",
                      size=record.bytes, sha256=record.sha256, pages=record.pages)
    return outcome


def process_sources_isolated(sources: Sequence[SourceFile], toolkit: Toolkit, settings: Settings, *,
                             workers: int = 1, ahead: ReadAhead | None = None) -> Iterator[steps.SourceOutcome]:
    """`process_source_isolated()` on each source, up to `workers` children at once (threads
    of this process, each waiting on the child it forked); the outcomes in the order of
    `sources`, each as soon as it and those before it are done. Where `ahead` read the sources
    while this process started up, it is stopped once the toolkit is warm (after the document it
    is reading), and the documents it read are extracted without being read again.

    Ended early (an interruption), it cancels the sources not started and stops the children
    still reading, so that it returns at once rather than when they are done.
    """
    if ahead is not None:  # started up: the language of the first document read ahead is built
        first = ahead.first(FIRST_DOCUMENT_WAIT_S)  # here once, while the child reads on
        if first is not None:
            with _START_LOCK:
                toolkit.wanted.add(document_language(first))
        warm_up(toolkit)
        ahead.stop()

    def work(position: int, source: SourceFile) -> steps.SourceOutcome:
        document = ahead.document(position) if ahead is not None else None
        if document is not None:  # its language is known: built here once, for every child to inherit
            with _START_LOCK:
                toolkit.wanted.add(document_language(document))
        return process_source_isolated(source, toolkit, settings, document=document)

    if workers <= 1 or len(sources) <= 1:
        yield from (work(position, source) for position, source in enumerate(sources))
        return
    pool = ThreadPoolExecutor(max_workers=min(workers, len(sources)), thread_name_prefix=CHILD_PREFIX)
    futures = [pool.submit(work, position, source) for position, source in enumerate(sources)]
    try:
        for future in futures:
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        while not all(future.done() for future in futures):  # a thread may fork after a round
            for process in multiprocessing.active_children():
                if process.name.startswith(CHILD_PREFIX):
                    process.terminate()  # its thread sees it end, as it would see a crash
            wait(futures, timeout=STOP_POLL_S)
