"""Errors a user can cause. The CLI prints them as one line and exits non-zero."""


class CoderError(Exception):
    """A problem the user can fix: bad input, a missing file, an unknown code."""


class NotFound(CoderError):
    """A document, code, coding or flag that does not exist in the project."""


class GateRefused(CoderError):
    """Text was about to leave a project while it still holds unreviewed identifiers."""
