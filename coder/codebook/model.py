"""The in-memory codebook: what YAML codebooks, REFI-QDA .qdc files and projects exchange."""

from __future__ import annotations

from dataclasses import dataclass, field

from coder.errors import CoderError

LANGUAGES = ("en", "es", "sq", "ro", "bs", "ru")


class CodebookError(CoderError):
    """A codebook file with problems; the message lists every one as `FILE:LINE: message`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Code:
    key: str  # stable, unique; codings refer to it
    labels: dict[str, str]  # language code → label; "en" required
    parent: str | None = None  # key of the parent code
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    color: str | None = None  # "#rrggbb"
    codable: bool = True  # False: a category that only groups codes
    guid: str | None = None  # REFI-QDA guid, when one came with the code
    provenance: list[str] = field(default_factory=list)  # codebooks whose codes this absorbed

    def label(self, lang: str | None = None) -> str:
        return self.labels.get(lang or "en") or self.labels.get("en") or self.key


@dataclass
class Codebook:
    name: str
    version: str | None = None
    languages: list[str] = field(default_factory=lambda: ["en"])
    codes: list[Code] = field(default_factory=list)  # parents before children
    sets: dict[str, list[str]] = field(default_factory=dict)  # code group name → member keys
    description: str | None = None

    def by_key(self) -> dict[str, Code]:
        return {c.key: c for c in self.codes}

    def children(self, key: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == key]
