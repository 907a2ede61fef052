"""The measuring scripts of bench/ and eval/ are run by people, not by the suite: at least they
must still import, so that a renamed function of the app does not leave one broken unnoticed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(
    path for path in [*ROOT.glob("bench/*.py"), *ROOT.glob("eval/*.py")] if path.stem != "__init__"
)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_script_imports(path, monkeypatch):
    monkeypatch.syspath_prepend(str(path.parent))
    name = f"_script_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    assert callable(getattr(module, "main", None)) or path.stem == "metrics", (
        f"{path} has no main()"
    )


def test_there_are_scripts():
    assert len(SCRIPTS) >= 10
