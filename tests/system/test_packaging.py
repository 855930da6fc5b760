"""`pip install .` puts one package, `smartspec`, at the top of site-packages: a Prefect user's own
`flows` package (the common layout) and ours both import in the same environment."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _wheel(project: Path, out: Path) -> Path:
    """The wheel pip builds of `project` (its build backend fetched as pip is configured), or skip."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(project)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"pip could not build a wheel of {project.name} here (no build backend to be had offline?): "
                    f"{done.stderr.strip().splitlines()[-1:]}")
    (wheel,) = out.glob("*.whl")
    return wheel


def _their_flows(folder: Path) -> Path:
    """A project of someone else's with a top-level package named `flows`."""
    (folder / "flows").mkdir(parents=True)
    (folder / "flows" / "__init__.py").write_text('WHO = "theirs"\n', encoding="utf-8")
    (folder / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "their-flows"
        version = "1.0"

        [tool.setuptools]
        packages = ["flows"]
        """), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> tuple[Path, Path]:
    """A fresh venv holding their `flows`, then smartspec installed from its wheel (no
    dependencies: what is checked here needs none); its Python and site-packages."""
    root = tmp_path_factory.mktemp("packaging")
    ours = _wheel(ROOT, root / "ours")
    theirs = _wheel(_their_flows(root / "their-flows"), root / "theirs")
    venv.create(root / "venv", with_pip=False)
    python = root / "venv" / "bin" / "python"
    for wheel in (theirs, ours):
        subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index",
                        "--no-deps", str(wheel)], check=True, capture_output=True, timeout=300)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    return python, site


def test_their_flows_and_ours_both_import(environment, tmp_path):
    python, site = environment
    code = ("import flows, smartspec.flows, smartspec.extractors.settings, smartspec.schemas.vocabulary; "
            "print(flows.WHO, flows.__file__, smartspec.flows.__file__, sep='\\n')")
    done = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    who, theirs, ours = done.stdout.split("\n")[:3]
    assert who == "theirs"
    assert Path(theirs) == site / "flows" / "__init__.py"
    assert Path(ours) == site / "smartspec" / "flows" / "__init__.py"


def test_site_packages_holds_only_smartspec_of_ours_with_its_data_files(environment):
    _, site = environment
    (record,) = site.glob("smartspec-*.dist-info/RECORD")
    paths = [line.split(",")[0] for line in record.read_text(encoding="utf-8").splitlines() if line]
    top = {path.split("/")[0] for path in paths if not path.startswith("../")}
    assert top == {"smartspec", record.parent.name}
    for data in ("smartspec/extractors/regions.gazetteer.csv", "smartspec/extractors/lexicon.headings.sv.jsonl",
                 "smartspec/extractors/weights.extraction.toml", "smartspec/reporting/page.template.html"):
        assert data in paths
    assert not [path for path in paths if path.startswith(("smartspec/tests/", "smartspec/benchmarks/"))]
    assert any(path.endswith("/bin/smartspec") for path in paths)  # the console script
