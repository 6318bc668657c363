"""YAML codebooks: loading, validation with file:line, safe loading, the starter codebook, round trips."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from coder.codebook import (
    CodebookError,
    guid_for_key,
    install_codebook,
    load_codebook,
    project_codebook,
    starter_codebook_path,
    write_codebook,
)
from coder.errors import CoderError
from coder.store import open_project

DATA = Path(__file__).parent / "data" / "codebooks"
REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    lines = str(info.value).splitlines()
    assert lines == info.value.problems
    return lines


# -- loading ---------------------------------------------------------------------------------------


def test_small_codebook_loads_nesting_parent_field_category_and_sets():
    book = load_codebook(DATA / "small.yaml")
    assert book.name == "small" and book.version == "2" and book.languages == ["en", "es"]
    codes = book.by_key()
    assert [c.key for c in book.codes] == ["barriers", "barriers.fear", "services", "services.legal"]
    assert codes["barriers.fear"].parent == "barriers"
    assert codes["services.legal"].parent == "services"
    assert codes["services"].codable is False
    assert codes["barriers"].labels == {"en": "Barriers", "es": "Barreras"}
    assert codes["barriers"].color == "#d62728"
    assert codes["barriers.fear"].description == "Fear of what others would say.\nSecond line."
    assert codes["services.legal"].guid == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert book.sets == {"Core": ["barriers.fear", "services.legal"]}


def test_flat_file_with_child_before_parent_is_ordered_parents_first(tmp_path):
    path = write(tmp_path, """
        name: flat
        codes:
          - {key: a.b, parent: a, label: {en: B}}
          - {key: a, label: {en: A}}
        """)
    assert [c.key for c in load_codebook(path).codes] == ["a", "a.b"]


def test_missing_key_is_derived_from_english_label_and_parent(tmp_path):
    path = write(tmp_path, """
        name: nokeys
        codes:
          - label: {en: Barriers to Disclosure}
            codes:
              - label: {en: "Fear, shame & guilt"}
        """)
    assert [c.key for c in load_codebook(path).codes] == [
        "barriers-to-disclosure", "barriers-to-disclosure.fear-shame-guilt"
    ]


# -- every kind of problem, with its line ----------------------------------------------------------


def test_duplicate_key_names_both_lines(tmp_path):
    path = write(tmp_path, """
        name: dup
        codes:
          - key: a
            label: {en: A}
          - key: a
            label: {en: A again}
        """)
    assert problems(path) == [f"{path}:5: duplicate key a (first used on line 3)"]


def test_unknown_parent(tmp_path):
    path = write(tmp_path, """
        name: orphan
        codes:
          - key: a
            label: {en: A}
          - key: b
            parent: nowhere
            label: {en: B}
        """)
    assert problems(path) == [f"{path}:5: code b has unknown parent nowhere"]


def test_cycle(tmp_path):
    path = write(tmp_path, """
        name: cycle
        codes:
          - {key: a, parent: c, label: {en: A}}
          - {key: b, parent: a, label: {en: B}}
          - {key: c, parent: b, label: {en: C}}
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3: parents form a cycle: a → c → b → a")


def test_missing_english_label(tmp_path):
    path = write(tmp_path, """
        name: noen
        codes:
          - key: a
            label: {es: Solo español}
        """)
    assert problems(path) == [f"{path}:3: code a has no English label: add `label: {{en: ...}}`"]


def test_bad_colour(tmp_path):
    path = write(tmp_path, """
        name: colour
        codes:
          - key: a
            label: {en: A}
            color: red
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:5: bad colour 'red'")


def test_unknown_field(tmp_path):
    path = write(tmp_path, """
        name: unknown
        codes:
          - key: a
            label: {en: A}
            colour: "#ffffff"
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:5: unknown field 'colour' in a code")


def test_unknown_top_level_field(tmp_path):
    path = write(tmp_path, """
        name: unknown
        authors: [someone]
        codes:
          - {key: a, label: {en: A}}
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:2: unknown field 'authors' in a codebook")


def test_wrong_types(tmp_path):
    path = write(tmp_path, """
        name: types
        languages: en
        codes:
          - key: a
            label: [A]
            codable: maybe
            description: {text: no}
        """)
    assert problems(path) == [
        f"{path}:2: languages must be a list such as [en, es], not a single value",
        f"{path}:4: code a has no English label: add `label: {{en: ...}}`",
        f"{path}:5: label must map languages to text (en: ..., es: ...), not a list",
        f"{path}:6: codable must be true or false",
        f"{path}:7: description must be text, not a mapping",
    ]


def test_bad_key(tmp_path):
    path = write(tmp_path, """
        name: keys
        codes:
          - key: Barriers Fear
            label: {en: A}
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3: key 'Barriers Fear' must be lowercase")


def test_codes_not_a_list_and_set_with_unknown_member(tmp_path):
    path = write(tmp_path, """
        name: shapes
        codes:
          a: {label: {en: A}}
        sets:
          Core: [missing]
        """)
    assert problems(path) == [
        f"{path}:3: codes must be a list (each item starting with '- key:'), not a mapping",
        f"{path}:5: set 'Core' names unknown code missing",
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, """
        name: many
        codes:
          - key: a
            label: {es: A}
            color: "#12345"
          - key: a
            label: {en: A}
            parent: ghost
            shape: round
        """)
    lines = problems(path)
    assert [line.split(":")[1] for line in lines] == ["3", "5", "6", "9"]
    joined = "\n".join(lines)
    for fragment in ("no English label", "bad colour", "duplicate key a", "unknown field 'shape'"):
        assert fragment in joined


def test_invalid_yaml_syntax_names_the_line(tmp_path):
    path = write(tmp_path, """
        name: broken
        codes:
          - key: a
            label: {en: A
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:") and "not valid YAML" in problem


def test_cli_prints_problems_without_traceback(tmp_path, runner):
    from coder.cli import app

    path = write(tmp_path, """
        name: colour
        codes:
          - {key: a, label: {en: A}, color: blue}
          - {key: a, label: {en: A}}
        """)
    result = runner.invoke(app, ["codebook", "show", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}:3: bad colour" in result.output
    assert f"{path}:4: duplicate key a" in result.output


# -- safe loading ----------------------------------------------------------------------------------


def test_alias_bomb_is_refused():
    path = DATA / "alias-bomb.yaml"
    [problem] = problems(path)
    assert problem == f"{path}:2: YAML anchors (&name) are not allowed in a codebook"


def test_python_object_tags_are_refused(tmp_path):
    path = write(tmp_path, """
        name: !!python/object/apply:os.system ["echo pwned"]
        codes: []
        """)
    [problem] = problems(path)
    assert problem == f"{path}:1: YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed in a codebook"


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("name: huge\n" + "# padding\n" * 250_000)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:1: the file is") and "limited to" in problem


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(CoderError, match="no codebook file"):
        load_codebook(tmp_path / "missing.yaml")
    other = tmp_path / "book.txt"
    other.write_text("name: x")
    with pytest.raises(CoderError, match=r"\.yaml, \.yml or \.qdc"):
        load_codebook(other)


# -- the starter codebook --------------------------------------------------------------------------

REQUIRED_TOP = ("barriers", "services", "recommendations", "disclosure", "offenders", "control", "forms", "prevention")
REQUIRED_CHILDREN = (
    "barriers.fear-shame-guilt", "barriers.institutional-attitudes", "services.psychological",
    "services.legal", "disclosure.peers", "control.threats",
)


def test_starter_codebook_loads_with_required_keys_labels_and_criteria():
    path = starter_codebook_path()
    assert path.is_file()
    book = load_codebook(path)
    codes = book.by_key()
    assert {c.key for c in book.children(None)} == set(REQUIRED_TOP)
    for key in REQUIRED_CHILDREN:
        assert key in codes
    for code in book.codes:
        assert code.labels.get("en") and code.labels.get("es"), code.key
        assert code.description and code.inclusion and code.exclusion and code.example, code.key
        assert code.color and code.color.startswith("#"), code.key
    assert codes["barriers"].labels["en"] == "Barriers to disclosure and reporting"
    for top in REQUIRED_TOP:
        assert {"sq", "ro", "bs"} <= set(codes[top].labels), top


def test_starter_codebook_has_the_reports_13_recommendations_in_two_groups():
    book = load_codebook(starter_codebook_path())
    groups = book.children("recommendations")
    numbered = {
        group.key: [c.labels["en"].split(".")[0] for c in book.children(group.key)] for group in groups
    }
    assert numbered["recommendations.reporting"] == [str(n) for n in range(1, 10)]
    assert numbered["recommendations.support"] == [str(n) for n in range(10, 14)]


def test_repository_symlink_points_at_the_packaged_starter():
    link = REPO / "codebooks" / "survivor-perspectives.yaml"
    assert link.is_symlink()
    assert link.resolve() == starter_codebook_path().resolve()


# -- round trips -----------------------------------------------------------------------------------


def comparable(book):
    return [
        (c.key, c.parent, c.labels, c.description, c.inclusion, c.exclusion, c.example, c.color, c.codable,
         c.guid or guid_for_key(c.key))
        for c in book.codes
    ]


def test_yaml_to_project_to_yaml_preserves_everything(project, tmp_path):
    source = load_codebook(DATA / "small.yaml")
    install_codebook(project, DATA / "small.yaml")
    project.close()
    reopened = open_project(project.path)
    try:
        assert reopened.meta("codebook_name") == "small"
        assert reopened.meta("codebook_version") == "2"
        row = reopened.db.execute(
            "SELECT parent, labels, codable, guid, position FROM codes WHERE key = 'services.legal'"
        ).fetchone()
        assert row[0] == "services" and json.loads(row[1])["es"] == "Apoyo jurídico" and row[2] == 1
        assert reopened.db.execute("SELECT codable FROM codes WHERE key = 'services'").fetchone()[0] == 0
        assert row[3] == "0f8fad5b-d9cb-469f-a165-70867728950e"
        assert reopened.db.execute("SELECT guid FROM codes WHERE key = 'barriers'").fetchone()[0] == guid_for_key("barriers")
        assert reopened.db.execute("SELECT action FROM audit WHERE action = 'codebook.install'").fetchone()
        out = tmp_path / "out.yaml"
        write_codebook(project_codebook(reopened), out)
    finally:
        reopened.close()
    again = load_codebook(out)
    assert comparable(again) == comparable(source)
    assert (again.name, again.version, again.languages, again.sets, again.description) == (
        source.name, source.version, source.languages, source.sets, source.description
    )
    assert "guid:" in out.read_text() and out.read_text().count("guid:") == 1  # only the foreign one


def test_starter_round_trips_through_a_project(project, tmp_path):
    source = load_codebook(starter_codebook_path())
    install_codebook(project, starter_codebook_path())
    out = tmp_path / "starter.yaml"
    write_codebook(project_codebook(project), out)
    assert comparable(load_codebook(out)) == comparable(source)


def test_install_refuses_a_project_that_already_has_codes(project):
    install_codebook(project, DATA / "small.yaml")
    with pytest.raises(CoderError, match="already has codes"):
        install_codebook(project, DATA / "small.yaml")


def test_text_is_kept_as_written_and_survives_writing(tmp_path):
    path = write(tmp_path, """
        name: plain
        version: 1.10
        codes:
          - key: a
            label: {en: No, es: "Sí"}
            description: yes
        """)
    book = load_codebook(path)
    assert book.version == "1.10"
    assert book.codes[0].labels == {"en": "No", "es": "Sí"} and book.codes[0].description == "yes"
    out = tmp_path / "out.yaml"
    write_codebook(book, out)
    again = load_codebook(out)
    assert (again.version, again.codes[0].labels, again.codes[0].description) == ("1.10", {"en": "No", "es": "Sí"}, "yes")
