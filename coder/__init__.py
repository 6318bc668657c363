"""coder: local-first qualitative coding of research notes, with identifier review."""

__version__ = "0.1.0"

PROJECT_SUFFIX = ".coder"
