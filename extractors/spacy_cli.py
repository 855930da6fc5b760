"""spaCy's own command line, left out of `import spacy`.

`spacy/__init__.py` imports `spacy.cli.info` for its `spacy.info()` helper, and with it the
whole spaCy command line (its typer commands, weasel, requests, jinja2): about a sixth of a
second at every start, for commands smartspec never runs. `defer()` puts a stand-in for
`spacy.cli.info` in `sys.modules` before spaCy is first imported: it gives spaCy an `info`
that imports the real one when called, and takes itself out of `sys.modules` as soon as
spaCy has taken it, so that `import spacy.cli` afterwards loads the real command line.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

MODULE = "spacy.cli.info"


def defer() -> None:
    """Leave spaCy's command line out of its import, unless spaCy is imported already."""
    if "spacy" not in sys.modules and MODULE not in sys.modules:
        sys.modules[MODULE] = _StandIn(MODULE)


class _StandIn(types.ModuleType):
    """Answers `from .cli.info import info` with `info` below; any other name from the real module."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # module introspection (__file__, __path__, ...) finds nothing here
            raise AttributeError(name)
        if sys.modules.get(MODULE) is self:
            del sys.modules[MODULE]
        if name == "info":
            return info
        return getattr(importlib.import_module(MODULE), name)


def info(*args: Any, **kwargs: Any) -> Any:
    """spaCy's `spacy.info()`: its module (and the command line) imported when it is called."""
    from spacy.cli.info import info as spacy_info

    return spacy_info(*args, **kwargs)
