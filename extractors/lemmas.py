"""The lemma tables of the installed spacy-lookups-data, read through an index on disk.

Reading Swedish's table from its JSON (660 000 forms) takes over half a second, in every
process that extracts a Swedish document; one document looks up a few thousand words. So
the first process to need a table writes it once into an SQLite file in the user's cache
folder (`lemma_index_path`), and every later one opens that in a millisecond and asks it for
the words it meets. The index is written to a temporary file and renamed into place, so
processes building it at once do not disturb each other or its readers; one that is not
what it should be (cut short, damaged, another format) is built again. When the cache
folder cannot be written, the table is read from its JSON into memory, as before.
Nothing is downloaded: the index is made from the package's own files.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from spacy.util import load_language_data, registry

logger = logging.getLogger(__name__)

# The index's layout; a new layout gets new files rather than reading old ones.
INDEX_FORMAT = 1
# The cache folder under $XDG_CACHE_HOME (else ~/.cache) that holds the indexes.
CACHE_FOLDER = Path("smartspec") / "lemmas"
# Words whose lemma an index remembers per process, at most (a long run's vocabulary is
# cleared, not grown without end).
MAX_REMEMBERED = 100_000


class LemmaTable(Protocol):
    """A word -> lemma table: the lemma of a form, whether a word is a form or a lemma."""

    def get(self, word: str) -> str | None: ...

    def __contains__(self, word: object) -> bool: ...

    def __len__(self) -> int: ...

    def is_lemma(self, word: str) -> bool: ...


class LoadedLemmas:
    """A table held in memory, as its JSON gives it (also made from a plain dict in tests)."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self._lemmas = _lemma_texts(entries.items())
        # the lemmas given as one string (a listed one is no word of the language to compounds)
        self._known = frozenset(lemma for lemma in entries.values() if isinstance(lemma, str))

    def get(self, word: str) -> str | None:
        return self._lemmas.get(word)

    def __contains__(self, word: object) -> bool:
        return word in self._lemmas

    def __len__(self) -> int:
        return len(self._lemmas)

    def is_lemma(self, word: str) -> bool:
        return word in self._known


class IndexedLemmas:
    """A table read from its SQLite index, the words asked for remembered.

    A connection is opened per process (an SQLite connection must not cross a fork: a forked
    child opens its own) and used by one thread at a time. The file is opened read-only as
    immutable: it never changes once in place (a rebuild replaces it with another file). An
    index found damaged while in use is built again, once per process.
    """

    def __init__(self, path: Path, forms: int, key: dict[str, str], source: Path) -> None:
        self.path = path
        self._forms = forms
        self._key = key
        self._source = source
        self._rebuilt = False
        self._connections: dict[int, tuple[sqlite3.Connection, threading.Lock]] = {}
        self._lemmas: dict[str, str | None] = {}
        self._known: dict[str, bool] = {}

    def get(self, word: str) -> str | None:
        try:
            return self._lemmas[word]
        except KeyError:
            pass
        if len(self._lemmas) >= MAX_REMEMBERED:
            self._lemmas.clear()
        row = self._fetch("SELECT lemma FROM forms WHERE word = ?", word)
        lemma = self._lemmas[word] = row[0] if row is not None else None
        return lemma

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return self._forms

    def is_lemma(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= MAX_REMEMBERED:
                self._known.clear()
            known = self._known[word] = self._fetch("SELECT 1 FROM lemmas WHERE lemma = ?", word) is not None
        return known

    def _fetch(self, query: str, word: str) -> tuple[Any, ...] | None:
        connection, lock = self._connection()
        try:
            with lock:
                return connection.execute(query, (word,)).fetchone()
        except sqlite3.DatabaseError as error:
            if self._rebuilt:
                raise
            logger.warning("the lemma index %s is damaged (%s): building it again", self.path, error)
            self._rebuilt = True
            self._forms = _build_index(self.path, self._key, self._source)
            self._connections.pop(os.getpid(), None)
            return self._fetch(query, word)

    def _connection(self) -> tuple[sqlite3.Connection, threading.Lock]:
        pid = os.getpid()
        opened = self._connections.get(pid)
        if opened is None:
            opened = self._connections.setdefault(pid, (_connect(self.path), threading.Lock()))
        return opened


def open_lemma_table(lang: str, table: str) -> LemmaTable:
    """The `table` of `lang` from the installed spacy-lookups-data, through its index (built
    here if it is missing or not sound); read into memory when the cache cannot be written.
    Raises ValueError when the package has no such table."""
    source = lemma_table_source(lang, table)
    try:
        path = lemma_index_path(lang, table)
    except (OSError, RuntimeError) as error:  # no home folder to hold a cache
        logger.info("no cache folder for the %s lemma table (%s): reading it into memory", lang, error)
        return LoadedLemmas(load_language_data(source))
    key = _index_key(lang, table, source)
    forms = _sound_index(path, key)
    if forms is None:
        try:
            forms = _build_index(path, key, source)
        except (OSError, sqlite3.Error) as error:
            logger.warning("could not write the %s lemma index %s (%s): reading the table into memory",
                           lang, path, error)
            return LoadedLemmas(load_language_data(source))
    return IndexedLemmas(path, forms, key, source)


def lemma_table_source(lang: str, table: str) -> Path:
    """The JSON file spacy-lookups-data installs for `table` of `lang` (spaCy reads `<it>.gz`
    where that is the file there is)."""
    tables = registry.lookups.get(lang) if lang in registry.lookups else {}
    if table not in tables:
        raise ValueError(f"spacy-lookups-data has no {table!r} table for {lang!r}")
    return Path(str(tables[table]))


def has_lemma_table(lang: str, table: str = "lemma_lookup") -> bool:
    """Whether the installed spacy-lookups-data ships `table` for `lang`."""
    return lang in registry.lookups and table in registry.lookups.get(lang)


def cache_home() -> Path:
    """$XDG_CACHE_HOME where it is an absolute path (as the XDG spec asks), else ~/.cache."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".cache"


def lemma_index_path(lang: str, table: str) -> Path:
    """Where the index of `table` for `lang` is kept: one file per table, package version and
    index format."""
    return cache_home() / CACHE_FOLDER / f"{lang}-{table}-{_package_version()}-f{INDEX_FORMAT}.sqlite3"


def _package_version() -> str:
    import spacy_lookups_data  # loaded already by the registry that names the tables

    return str(getattr(spacy_lookups_data, "__version__", "unknown"))


def _index_key(lang: str, table: str, source: Path) -> dict[str, str]:
    """What an index must have been made from to be used: it is kept in the index itself."""
    stored = source if source.exists() else source.with_suffix(source.suffix + ".gz")  # as spaCy reads it
    return {"format": str(INDEX_FORMAT), "lang": lang, "table": table, "package": _package_version(),
            "source_bytes": str(stored.stat().st_size)}


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _sound_index(path: Path, key: dict[str, str]) -> int | None:
    """The number of forms of the index at `path` if it is whole and made from `key`, else None."""
    try:
        size = path.stat().st_size
        connection = _connect(path)
        try:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return None
    if pages * page_size != size or any(meta.get(name) != value for name, value in key.items()):
        return None
    try:
        return int(meta["forms"])
    except (KeyError, ValueError):
        return None


def _build_index(path: Path, key: dict[str, str], source: Path) -> int:
    """Write the index of `source` to `path` (a temporary file renamed into place); its forms."""
    lang, table = key["lang"], key["table"]
    logger.info("building the %s %s index at %s (once per spacy-lookups-data version)", lang, table, path)
    entries = load_language_data(source)
    forms = _lemma_texts(entries.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        connection = sqlite3.connect(temp)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("CREATE TABLE forms (word TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
            connection.execute("CREATE TABLE lemmas (lemma TEXT PRIMARY KEY) WITHOUT ROWID")
            connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany("INSERT INTO forms VALUES (?, ?)", sorted(forms.items()))
            known = {lemma for lemma in entries.values() if isinstance(lemma, str)}
            connection.executemany("INSERT INTO lemmas VALUES (?)", ((lemma,) for lemma in sorted(known)))
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [*key.items(), ("forms", str(len(forms)))])
            connection.commit()
        finally:
            connection.close()
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return len(forms)


def _lemma_texts(entries: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """word -> lemma as a lookup answers it: a few tables list several lemmas for a word, of
    which the first is taken ("" for none, so that the word is a form whose lemma is itself).
    Each lemma string is kept once (the Swedish table's 660 000 forms have 93 000 lemmas)."""
    shared: dict[str, str] = {}
    texts = {}
    for word, lemma in entries:
        text = lemma if isinstance(lemma, str) else (str(lemma[0]) if lemma else "")
        texts[word] = shared.setdefault(text, text)
    return texts
