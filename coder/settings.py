"""Per-machine settings: the coder's name, set once and stamped on every coding.

Stored in `$CODER_CONFIG` or `~/.config/coder/config.json`; a project can override the name
(`project.meta("coder")`).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path


def config_path() -> Path:
    env = os.environ.get("CODER_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(base) / "coder" / "config.json"


def load() -> dict:
    try:
        return json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(settings: dict) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")


def machine_coder_name() -> str:
    name = os.environ.get("CODER_NAME") or load().get("coder")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "coder"


def set_machine_coder_name(name: str) -> None:
    settings = load()
    settings["coder"] = name
    save(settings)
