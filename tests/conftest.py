"""Shared fixtures. Area-specific fixtures live in the area's own test files."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coder.store import create_project


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    # Never read or write the developer's real ~/.config/coder during tests.
    config = tmp_path_factory.mktemp("config") / "config.json"
    monkeypatch.setenv("CODER_CONFIG", str(config))
    monkeypatch.setenv("CODER_NAME", "tester")


@pytest.fixture
def project(tmp_path):
    """An empty project (Mexico, Spanish) in tmp_path, closed after the test."""
    p = create_project(tmp_path / "test.coder", country="Mexico", language="es")
    yield p
    p.close()


@pytest.fixture
def runner():
    return CliRunner()
