"""User-caused failures anywhere in the CLI are one line on stderr and exit 1, never a traceback."""

from coder.cli import app
from coder.store import create_project


def test_os_error_is_one_line(tmp_path, runner, monkeypatch):
    path = tmp_path / "p.coder"
    create_project(path, country="Peru", language="es").close()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("coder.overview.summarise", refuse)
    result = runner.invoke(app, ["info", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {path}: Permission denied"
    assert "Traceback" not in result.output


def test_missing_project_is_one_line(tmp_path, runner):
    result = runner.invoke(app, ["info", str(tmp_path / "absent.coder")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: no project at {tmp_path / 'absent.coder'}"

