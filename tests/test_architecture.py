"""The package map stays true: every package is on docs/ARCHITECTURE.md, modules stay small, and
the layers and the no-circles rule hold (import-linter, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sitrep"
MAX_LINES = 800


def _packages() -> list[str]:
    return sorted("sitrep." + ".".join(p.parent.relative_to(PACKAGE).parts)
                  for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE
                  and "versions" not in p.parts)


def test_architecture_names_every_package() -> None:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [name for name in _packages() if f"`{name}`" not in text]
    assert not missing, f"docs/ARCHITECTURE.md has no entry for {missing}"


def test_architecture_every_package_says_what_it_owns() -> None:
    bare = [p for p in PACKAGE.rglob("__init__.py")
            if "versions" not in p.parts and not p.read_text(encoding="utf-8").lstrip()
            .startswith('"""')]
    assert not bare, f"packages without a docstring: {bare}"


def test_architecture_modules_stay_small() -> None:
    big = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def test_architecture_layers_and_no_circles() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    proc = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "BROKEN" not in proc.stdout
