"""Documents read ahead in one child process while `smartspec extract` starts up.

The command's start (spaCy's import, the first pipeline) keeps one CPU busy for about a
second. A child forked before it, from the small process the command is then, reads the files
given one after another on another CPU and leaves each `Document` in a folder of its own.
When the command is ready it stops the child and takes the documents read in full; each
document's own child (running/isolation.py) then extracts from the one read ahead, if any,
or reads the file itself as it always did.

What is not read ahead is read by the document's own child, which says what went wrong: a
file `running.admission.refusal()` refuses, one whose reading failed or logged anything (its
warnings are said once, by the child that reads it again), one that was still being read.
The child has the memory bound of one document and never runs past the start-up.
"""

from __future__ import annotations

import pickle
import shutil
import signal
import tempfile
from collections.abc import Sequence
from pathlib import Path

from smartspec.extractors.document import Document
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.readers import read_document
from smartspec.extractors.settings import Settings
from smartspec.inputs.sources import SourceFile
from smartspec.running.admission import refusal
from smartspec.running.child import collect_logs, limit_resources, start_context


SUFFIX = ".document"  # a document read in full, pickled; named by its source's position


class ReadAhead:
    """A child reading `sources` into a temporary folder, from now until `documents()` (none
    for no sources). A context manager: leaving it stops the child and removes the folder."""

    def __init__(self, sources: Sequence[SourceFile], settings: Settings) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="smartspec-read-ahead-")) if sources else None
        self.process = start_context().Process(
            target=_read, args=(list(sources), settings, self.folder), daemon=True,
            name="smartspec-read-ahead") if sources else None
        if self.process is not None:
            self.process.start()

    def documents(self) -> dict[int, Document]:
        """Stop reading; the documents read in full, by their source's position."""
        if self.process is None or self.folder is None:
            return {}
        self.process.terminate()
        self.process.join()
        try:
            return {int(path.stem): pickle.loads(path.read_bytes()) for path in self.folder.glob(f"*{SUFFIX}")}
        finally:
            self.close()

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
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stopped by the command: when it is ready, or
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as it ends on Ctrl-C (no traceback from here)
    collector = collect_logs()  # nothing read ahead says anything: see the module docstring
    limit_resources(settings.document_memory_mb, settings.document_timeout_s)
    for position, source in enumerate(sources):
        if refusal(source, settings) is not None:
            continue
        said = len(collector.records) + collector.dropped
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
