"""A publishing process, started as one: what it loads."""

from __future__ import annotations

import subprocess
import sys


def test_publishing_never_loads_spacy():
    """A publishing process (a second run waiting on the lock, the kill tests' children) starts
    in the time its imports take: the theme tables must not pull spaCy in."""
    script = ("import sys, smartspec.publishing.versions, smartspec.publishing.partners, smartspec.publishing.themes; "
              "assert 'spacy' not in sys.modules, 'spacy imported'")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
