"""Creating projects: empty, with a codebook, or from another tool's REFI-QDA project."""

from __future__ import annotations

from pathlib import Path

from coder.errors import CoderError
from coder.store import Project, create_project


def new_project(
    path: str | Path,
    *,
    country: str | None = None,
    language: str | None = None,
    codebook: str | Path | None = None,
    coder: str | None = None,
    from_qdpx: str | Path | None = None,
) -> Project:
    """Create a project file; copy a codebook into it; or fill it from a .qdpx file."""
    path = Path(path)
    if codebook is not None and not Path(codebook).is_file():
        raise CoderError(f"no codebook file {codebook}")
    if from_qdpx is not None and not Path(from_qdpx).is_file():
        raise CoderError(f"no REFI-QDA project {from_qdpx}")
    project = create_project(path, country=country, language=language, coder=coder)
    try:
        if codebook is not None:
            from coder.codebook import install_codebook

            install_codebook(project, Path(codebook))
        if from_qdpx is not None:
            from coder.qdpx import import_qdpx

            import_qdpx(project, Path(from_qdpx))
    except BaseException:
        project.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return project
