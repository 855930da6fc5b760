"""Documents read ahead in one child process while `smartspec extract` starts up.

The command's start (spaCy's import, the first pipeline) keeps one CPU busy for about a
second. A child forked before it, from the small process the command is then, reads the files
given one after another on another CPU and leaves each `Document` in a folder of its own.
When the command is ready it tells the child to stop after the document it is reading; each
document's own child (running/isolation.py) then extracts from the one read ahead, if any
(waiting for the one still being read), or reads the file itself as it always did.

What is not read ahead is read by the document's own child, which says what went wrong: a
file `running.admission.refusal()` refuses, one whose reading failed or logged anything (its
warnings are said once, by the child that reads it again), one not reached. The child has
the memory bound of one document; the document it still reads when the command is ready, its
time limit.
"""

from __future__ import annotations

import pickle
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from smartspec.extractors.document import Document
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.readers import read_document
from smartspec.extractors.settings import Settings
from smartspec.inputs.sources import SourceFile
from smartspec.running.admission import refusal
from smartspec.running.child import collect_logs, limit_resources, start_context

# In the folder, named by the source's position: a document read in full (pickled), and the
# mark left when its reading began; and the command's word to begin no other.
SUFFIX = ".document"
BEGUN = ".begun"
STOP = "stop"
POLL_S = 0.005  # how often `first()` looks in the folder


class ReadAhead:
    """A child reading `sources` into a temporary folder, from now until `stop()` (none for no
    sources). A context manager: leaving it ends the child and removes the folder."""

    def __init__(self, sources: Sequence[SourceFile], settings: Settings) -> None:
        self.timeout_s = settings.document_timeout_s
        self.folder = Path(tempfile.mkdtemp(prefix="smartspec-read-ahead-")) if sources else None
        self.process = start_context().Process(
            target=_read, args=(list(sources), settings, self.folder), daemon=True,
            name="smartspec-read-ahead") if sources else None
        self._joining = threading.Lock()  # one thread at a time waits for the child
        if self.process is not None:
            self.process.start()

    def stop(self) -> None:
        """Begin no other document: the child ends after the one it is reading."""
        if self.folder is not None:
            (self.folder / STOP).touch()

    def first(self, wait_s: float) -> Document | None:
        """The first document read in full, waiting up to `wait_s` for one while the child reads
        on; None when none came in that time or the child ended without one."""
        deadline = time.monotonic() + wait_s
        while self.folder is not None and self.process is not None:
            if done := sorted(int(path.stem) for path in self.folder.glob(f"*{SUFFIX}")):
                return self.document(done[0])
            if self.process.exitcode is not None or time.monotonic() >= deadline:
                return None
            time.sleep(POLL_S)
        return None

    def document(self, position: int) -> Document | None:
        """The document of the source at `position` if it was read ahead, waiting for it if
        it is still being read; else None. Call `stop()` first."""
        if self.folder is None or self.process is None:
            return None
        done = self.folder / f"{position}{SUFFIX}"
        if not done.exists() and (self.folder / f"{position}{BEGUN}").exists():
            with self._joining:
                self.process.join(self.timeout_s)
                if self.process.exitcode is None:  # stuck: its own child reads it, within the limits
                    self.process.kill()
                    self.process.join()
        return pickle.loads(done.read_bytes()) if done.exists() else None

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.process = self.folder = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _read(sources: list[SourceFile], settings: Settings, folder: Path) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ended by the command as it ends, also
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C (no traceback from here)
    collector = collect_logs()  # nothing read ahead says anything: see the module docstring
    limit_resources(settings.document_memory_mb, settings.document_timeout_s)
    for position, source in enumerate(sources):
        if (folder / STOP).exists():
            return
        if refusal(source, settings) is not None:
            continue
        said = len(collector.records) + collector.dropped
        (folder / f"{position}{BEGUN}").touch()
        try:
            document = read_document(source.path, source_id=source.source_id)
        except ExtractionError:  # read again by the document's own child, which says why
            continue
        except MemoryError:  # the same, within a fresh child's bound; nothing more is read here
            return
        if len(collector.records) + collector.dropped == said:
            part = folder / f"{position}.part"
            part.write_bytes(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
            part.rename(part.with_suffix(SUFFIX))
