"""The core never imports the user interfaces: it must run headless, in scripts and in tests."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import coder

INTERFACE_PACKAGES = ("coder.cli", "coder.tui")
FORBIDDEN = ("textual", "typer", "coder.tui")


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(coder.__path__, prefix="coder."):
        if any(info.name == p or info.name.startswith(p + ".") for p in INTERFACE_PACKAGES):
            continue
        names.append(info.name)
    return sorted(names)


def test_core_modules_are_discovered():
    names = core_modules()
    assert {"coder.store", "coder.ingest", "coder.formats", "coder.coding", "coder.demo", "coder.textnorm"} <= set(names)
    assert not any(n.startswith(INTERFACE_PACKAGES) for n in names)


def test_core_never_imports_textual_typer_or_the_tui():
    names = core_modules()
    script = (
        "import importlib, json, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m in {FORBIDDEN!r} or m.startswith(('textual.', 'typer.', 'coder.tui.')))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
