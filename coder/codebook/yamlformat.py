"""The YAML codebook format: safe loading with every problem reported at once, and writing.

Loading composes the YAML into nodes (never Python objects) so each problem can name its line.
Anchors and aliases are refused outright: a codebook never needs them, and refusing them is the
simplest defence against alias bombs ("billion laughs").
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coder.codebook.model import Code, Codebook, CodebookError

MAX_BYTES = 2_000_000  # far above any real codebook; refuses accidental or hostile huge files
MAX_DEPTH = 12

TOP_FIELDS = ("name", "version", "languages", "description", "codes", "sets")
CODE_FIELDS = (
    "key", "label", "description", "inclusion", "exclusion", "example", "color", "codable",
    "parent", "guid", "provenance", "codes",
)
TEXT_FIELDS = ("description", "inclusion", "exclusion", "example")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")
GUID_PATTERN = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        self.mark = mark
        self.message = message


class _NodeLoader(yaml.SafeLoader):
    """SafeLoader that composes nodes and refuses anchors and aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "YAML aliases (*name) are not allowed in a codebook")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "YAML anchors (&name) are not allowed in a codebook")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _PLAIN_TAGS:
            raise _Refused(event.start_mark, f"YAML tag {tag} is not allowed in a codebook")
        return super().compose_node(parent, index)


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


def _line(node: Node) -> int:
    return node.start_mark.line + 1


# Only used to turn scalar nodes into str/bool/int/float/None with the safe resolver's tags.
_CONSTRUCTOR = yaml.SafeLoader("")


def _value(node: Node) -> Any:
    try:
        value = _CONSTRUCTOR.construct_object(node)
    except (yaml.YAMLError, ValueError):
        return node.value  # e.g. an impossible date: keep the text as written
    if isinstance(value, (_dt.date, _dt.datetime)):
        return node.value
    return value


def slugify(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    return slug[:48].strip("-_") or "code"


class _Reader:
    def __init__(self, default_name: str):
        self.default_name = default_name
        self.problems: list[tuple[int, str]] = []

    def problem(self, node_or_line: Node | int, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append((line, message))

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{what} must be text, not a {_kind(node)}")
            return None
        if node.tag == "tag:yaml.org,2002:null":
            return None
        # The text as written: `version: 1.10` stays "1.10" and a label `No` stays "No".
        return str(node.value)

    def read(self, root: Node) -> Codebook:
        if not isinstance(root, MappingNode):
            self.problem(root, f"a codebook is a mapping with name, version, languages and codes, not a {_kind(root)}")
            return Codebook(name=self.default_name)
        book = Codebook(name=self.default_name, languages=["en"])
        codes_node: Node | None = None
        sets_node: Node | None = None
        for key_node, value in self.fields(root, TOP_FIELDS, "codebook"):
            field = key_node.value
            if field == "name":
                book.name = self.text(value, "name") or book.name
            elif field == "version":
                book.version = self.text(value, "version")
            elif field == "description":
                book.description = (self.text(value, "description") or "").strip() or None
            elif field == "languages":
                book.languages = self.languages(value)
            elif field == "codes":
                codes_node = value
            elif field == "sets":
                sets_node = value
        entries: list[tuple[Code, int, str | None]] = []  # code, line, nesting parent
        if codes_node is None:
            self.problem(root, "the codebook has no codes: add a `codes:` list")
        else:
            self.codes(codes_node, None, entries, depth=0)
        book.codes = self.check(entries)
        if sets_node is not None:
            book.sets = self.sets(sets_node, {c.key for c in book.codes})
        return book

    def fields(self, node: MappingNode, allowed: tuple[str, ...], where: str):
        seen: set[str] = set()
        for key_node, value in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, f"field names in a {where} must be plain words")
                continue
            name = key_node.value
            if name not in allowed:
                self.problem(key_node, f"unknown field {name!r} in a {where} (allowed: {', '.join(allowed)})")
                continue
            if name in seen:
                self.problem(key_node, f"field {name!r} appears twice in the same {where}")
                continue
            seen.add(name)
            yield key_node, value

    def languages(self, node: Node) -> list[str]:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"languages must be a list such as [en, es], not a {_kind(node)}")
            return ["en"]
        out = []
        for item in node.value:
            lang = self.text(item, "a language")
            if lang is None:
                continue
            if not LANG_PATTERN.match(lang):
                self.problem(item, f"{lang!r} is not a language code such as en, es, sq, ro, bs, ru")
            else:
                out.append(lang)
        return out or ["en"]

    def codes(self, node: Node, parent: str | None, entries: list, depth: int) -> None:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"codes must be a list (each item starting with '- key:'), not a {_kind(node)}")
            return
        if depth > MAX_DEPTH:
            self.problem(node, f"codes are nested more than {MAX_DEPTH} levels deep")
            return
        for item in node.value:
            self.code(item, parent, entries, depth)

    def code(self, node: Node, nest_parent: str | None, entries: list, depth: int) -> None:
        if not isinstance(node, MappingNode):
            self.problem(node, f"each code must be a mapping with key and label, not a {_kind(node)}")
            return
        code = Code(key="", labels={})
        children: Node | None = None
        explicit_parent: tuple[str, Node] | None = None
        for key_node, value in self.fields(node, CODE_FIELDS, "code"):
            field = key_node.value
            if field == "key":
                key = self.text(value, "key")
                if key is not None:
                    if not KEY_PATTERN.match(key):
                        self.problem(value, f"key {key!r} must be lowercase words joined by '.', '-' or '_' (e.g. barriers.fear-shame-guilt)")
                    code.key = key
            elif field == "label":
                code.labels = self.labels(value)
            elif field in TEXT_FIELDS:
                text = self.text(value, field)
                setattr(code, field, text.strip() or None if text is not None else None)
            elif field == "color":
                color = self.text(value, "color")
                if color is not None:
                    if COLOR_PATTERN.match(color):
                        code.color = color.lower()
                    else:
                        self.problem(value, f"bad colour {color!r}: write it as #rrggbb, e.g. \"#1f77b4\" (quoted)")
            elif field == "codable":
                flag = _value(value) if isinstance(value, ScalarNode) else None
                if not isinstance(flag, bool):
                    self.problem(value, "codable must be true or false")
                else:
                    code.codable = flag
            elif field == "parent":
                parent_key = self.text(value, "parent")
                if parent_key is not None:
                    explicit_parent = (parent_key, value)
            elif field == "guid":
                guid = self.text(value, "guid")
                if guid is not None:
                    if GUID_PATTERN.match(guid):
                        code.guid = guid.strip("{}").lower()
                    else:
                        self.problem(value, f"guid {guid!r} is not a GUID like 0f8fad5b-d9cb-469f-a165-70867728950e")
            elif field == "provenance":
                # Which source codebooks' codes a merged code absorbed ("codebook:key").
                if isinstance(value, SequenceNode) and all(isinstance(v, ScalarNode) for v in value.value):
                    code.provenance = [str(v.value) for v in value.value]
                else:
                    self.problem(value, "provenance must be a list of 'codebook:key' entries")
            elif field == "codes":
                children = value
        if "en" not in code.labels:
            self.problem(node, f"code {code.key or '(no key)'} has no English label: add `label: {{en: ...}}`")
        if not code.key:
            base = slugify(code.labels.get("en") or next(iter(code.labels.values()), "code"))
            code.key = f"{nest_parent}.{base}" if nest_parent else base
        parent = nest_parent
        if explicit_parent is not None:
            parent_key, parent_node = explicit_parent
            if nest_parent is not None and parent_key != nest_parent:
                self.problem(parent_node, f"code {code.key} is nested under {nest_parent} but says parent: {parent_key}")
            parent = parent_key
        code.parent = parent
        entries.append((code, _line(node), nest_parent))
        if children is not None:
            self.codes(children, code.key, entries, depth + 1)

    def labels(self, node: Node) -> dict[str, str]:
        if isinstance(node, ScalarNode):
            text = self.text(node, "label")
            return {"en": text} if text else {}
        if not isinstance(node, MappingNode):
            self.problem(node, f"label must map languages to text (en: ..., es: ...), not a {_kind(node)}")
            return {}
        labels: dict[str, str] = {}
        for lang_node, value in node.value:
            lang = self.text(lang_node, "a label language")
            if lang is None:
                continue
            if not LANG_PATTERN.match(lang):
                self.problem(lang_node, f"{lang!r} is not a language code such as en, es, sq, ro, bs, ru")
                continue
            if lang in labels:
                self.problem(lang_node, f"label language {lang!r} appears twice")
                continue
            text = self.text(value, f"label {lang}")
            if text is not None and text.strip():
                labels[lang] = text.strip()
            elif text is not None:
                self.problem(value, f"label {lang} is empty")
        return labels

    def check(self, entries: list[tuple[Code, int, str | None]]) -> list[Code]:
        first_line: dict[str, int] = {}
        codes: dict[str, Code] = {}
        lines: dict[str, int] = {}
        order: list[str] = []
        for code, line, _ in entries:
            if code.key in first_line:
                self.problem(line, f"duplicate key {code.key} (first used on line {first_line[code.key]})")
                continue
            first_line[code.key] = line
            codes[code.key] = code
            lines[code.key] = line
            order.append(code.key)
        for key in order:
            code = codes[key]
            if code.parent is not None and code.parent not in codes:
                self.problem(lines[key], f"code {key} has unknown parent {code.parent}")
                code.parent = None
        # Cycles can only come from `parent:` fields; report each cycle once, at its first member.
        reported: set[str] = set()
        for key in order:
            path, node = [], key
            while node is not None and node not in path:
                path.append(node)
                node = codes[node].parent
            if node is not None and node not in reported:
                cycle = path[path.index(node):]
                reported.update(cycle)
                self.problem(lines[node], f"parents form a cycle: {' → '.join(cycle + [node])}")
                codes[node].parent = None
        ordered: list[Code] = []
        placed: set[str] = set()

        def place(parent: str | None) -> None:
            for key in order:
                if key not in placed and codes[key].parent == parent:
                    placed.add(key)
                    ordered.append(codes[key])
                    place(key)

        place(None)
        ordered += [codes[k] for k in order if k not in placed]
        return ordered

    def sets(self, node: Node, keys: set[str]) -> dict[str, list[str]]:
        if not isinstance(node, MappingNode):
            self.problem(node, f"sets must map a group name to a list of code keys, not a {_kind(node)}")
            return {}
        out: dict[str, list[str]] = {}
        for name_node, value in node.value:
            name = self.text(name_node, "a set name")
            if name is None:
                continue
            if not isinstance(value, SequenceNode):
                self.problem(value, f"set {name!r} must be a list of code keys")
                continue
            members = []
            for item in value.value:
                key = self.text(item, "a set member")
                if key is None:
                    continue
                if key not in keys:
                    self.problem(item, f"set {name!r} names unknown code {key}")
                else:
                    members.append(key)
            out[name] = members
        return out


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "single value"


def read_yaml_codebook(path: Path) -> Codebook:
    """Load and validate a YAML codebook; raise CodebookError listing every problem."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CodebookError([f"{name}:1: cannot read the file ({exc.strerror})"]) from None
    if size > MAX_BYTES:
        raise CodebookError([f"{name}:1: the file is {size:,} bytes; codebooks are limited to {MAX_BYTES:,}"])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError([f"{name}:1: the file is not UTF-8 text; save it as UTF-8"]) from None
    return parse_yaml_codebook(text, name=name, stem=path.stem)


def parse_yaml_codebook(text: str, *, name: str = "<codebook>", stem: str = "codebook") -> Codebook:
    loader = _NodeLoader(text)
    try:
        root = loader.get_single_node()
    except _Refused as exc:
        raise CodebookError([f"{name}:{exc.mark.line + 1}: {exc.message}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise CodebookError([f"{name}:{line}: not valid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise CodebookError([f"{name}:1: not valid YAML: {exc}"]) from None
    finally:
        loader.dispose()
    if root is None:
        raise CodebookError([f"{name}:1: the file is empty"])
    reader = _Reader(stem)
    book = reader.read(root)
    if reader.problems:
        raise CodebookError([f"{name}:{line}: {message}" for line, message in sorted(reader.problems, key=lambda p: p[0])])
    return book


# -- writing ---------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def codebook_to_data(book: Codebook, *, default_guid: Any = None) -> dict[str, Any]:
    """The nested mapping written to YAML. Guids derived from keys are left out (they are implied)."""

    def entry(code: Code) -> dict[str, Any]:
        data: dict[str, Any] = {"key": code.key, "label": dict(code.labels)}
        for field in TEXT_FIELDS:
            value = getattr(code, field)
            if value:
                data[field] = value
        if code.color:
            data["color"] = code.color
        if not code.codable:
            data["codable"] = False
        if code.provenance:
            data["provenance"] = list(code.provenance)
        if code.guid and (default_guid is None or code.guid != default_guid(code.key)):
            data["guid"] = code.guid
        children = book.children(code.key)
        if children:
            data["codes"] = [entry(c) for c in children]
        return data

    data: dict[str, Any] = {"name": book.name}
    if book.version:
        data["version"] = book.version
    data["languages"] = list(book.languages or ["en"])
    if book.description:
        data["description"] = book.description
    data["codes"] = [entry(c) for c in book.children(None)]
    if book.sets:
        data["sets"] = {name: list(keys) for name, keys in book.sets.items()}
    return data


def write_yaml_codebook(book: Codebook, path: Path, *, default_guid: Any = None) -> None:
    text = yaml.dump(
        codebook_to_data(book, default_guid=default_guid),
        Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False,
    )
    path.write_text(f"# coder codebook ({book.name}); format described in the README\n" + text, encoding="utf-8")
