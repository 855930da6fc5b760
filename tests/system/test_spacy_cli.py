"""spaCy imported without its command line (extractors/spacy_cli.py), in a fresh interpreter: the
stand-in is gone once spaCy is loaded, and `spacy.info()` and `import spacy.cli` still work."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
import smartspec.extractors
import spacy
after_import = sorted(m for m in sys.modules if m.startswith("spacy.cli"))
version = spacy.info()["spacy_version"]
import spacy.cli
print(json.dumps({"after_import": after_import, "version": version, "real": hasattr(spacy.cli, "setup_cli"),
                  "info": spacy.cli.info.__module__}))
"""


def test_spacy_loads_without_its_command_line_which_still_works_when_asked_for():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    import spacy

    assert found == {"after_import": [], "version": spacy.__version__, "real": True, "info": "spacy.cli.info"}


def test_spacy_imported_first_is_left_as_it_is():
    script = "import spacy, sys; import smartspec.extractors; print(type(sys.modules['spacy.cli.info']).__name__)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "module"
