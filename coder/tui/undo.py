"""The undo stack of coding actions: each entry knows how to take one core operation back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class UndoEntry:
    description: str  # what the action did, e.g. "code barriers.legal"
    undo: Callable[[], object]  # a core call that reverses it
    document_id: int | None = None


class UndoStack:
    def __init__(self, limit: int = 200) -> None:
        self.entries: list[UndoEntry] = []
        self.limit = limit

    def push(self, entry: UndoEntry) -> None:
        self.entries.append(entry)
        del self.entries[: -self.limit]

    def pop(self) -> UndoEntry | None:
        return self.entries.pop() if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)
