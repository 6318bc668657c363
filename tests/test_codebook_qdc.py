"""REFI-QDA .qdc exchange: schema-valid export, stable GUIDs, real files from other tools, safe parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

from coder.codebook import (
    codebook_from_qde,
    guid_for_key,
    import_codebook,
    install_codebook,
    load_codebook,
    normalise_guid,
    project_codebook,
    starter_codebook_path,
    write_codebook,
)
from coder.codebook.qdc import describe, split_description
from coder.errors import CoderError

DATA = Path(__file__).parent / "data" / "codebooks"
PACKAGE_XSD = Path(__file__).resolve().parent.parent / "coder" / "data" / "refi" / "Codebook-mrt2019.xsd"
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "refi-qda"  # beside the checkout


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(PACKAGE_XSD))


def shared(book):
    """What .yaml and .qdc both carry (labels other than English are YAML-only)."""
    return [
        (c.key, c.parent, c.labels["en"], c.description, c.inclusion, c.exclusion, c.example, c.color,
         c.codable, c.guid or guid_for_key(c.key))
        for c in book.codes
    ]


def test_starter_export_is_valid_against_the_refi_schema(tmp_path, schema):
    out = tmp_path / "starter.qdc"
    write_codebook(load_codebook(starter_codebook_path()), out)
    schema.validate(str(out))
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in out.read_bytes()


def test_small_export_with_sets_and_category_is_valid(tmp_path, schema):
    out = tmp_path / "small.qdc"
    write_codebook(load_codebook(DATA / "small.yaml"), out)
    schema.validate(str(out))
    text = out.read_text()
    assert 'isCodable="false"' in text and "<Sets>" in text and "MemberCode" in text


def test_guids_are_stable_between_exports_and_derived_from_keys(tmp_path):
    first, second = tmp_path / "a.qdc", tmp_path / "b.qdc"
    book = load_codebook(starter_codebook_path())
    write_codebook(book, first)
    write_codebook(load_codebook(starter_codebook_path()), second)
    assert first.read_bytes() == second.read_bytes()
    assert guid_for_key("barriers") == guid_for_key("barriers") != guid_for_key("services")
    assert f'guid="{guid_for_key("barriers.fear-shame-guilt")}"' in first.read_text()


def test_yaml_to_qdc_to_yaml_preserves_what_both_formats_share(tmp_path):
    for source in (DATA / "small.yaml", starter_codebook_path()):
        book = load_codebook(source)
        qdc = tmp_path / f"{source.stem}.qdc"
        write_codebook(book, qdc)
        back = load_codebook(qdc)
        assert shared(back) == shared(book)
        assert back.sets == book.sets
        yaml_again = tmp_path / f"{source.stem}.yaml"
        write_codebook(back, yaml_again)
        assert shared(load_codebook(yaml_again)) == shared(book)


def test_description_trailer_round_trips_and_leaves_plain_descriptions_alone():
    book = load_codebook(DATA / "small.yaml")
    code = book.by_key()["barriers"]
    fields = split_description(describe(code))
    assert fields == {
        "description": code.description, "inclusion": code.inclusion, "exclusion": code.exclusion,
        "example": code.example, "key": "barriers",
    }
    plain = "Feelings.\n\nInclusion is a word here but not a trailer."
    assert split_description(plain)["description"] == plain


def test_file_from_another_tool(tmp_path):
    book = load_codebook(DATA / "other-tool.qdc")
    keys = [c.key for c in book.codes]
    assert keys == ["emotions", "emotions.fear-worry", "emotions.shame", "emotions-2"]
    codes = book.by_key()
    assert codes["emotions"].codable is False
    assert codes["emotions"].guid == "a1b2c3d4-0000-4000-8000-000000000001"  # braces and case normalised
    assert codes["emotions"].color == "#ff0000"
    assert codes["emotions.fear-worry"].color == "#00ff00"  # #rgb expanded
    assert codes["emotions.fear-worry"].labels == {"en": "Fear & worry"}
    assert codes["emotions"].description == "Feelings expressed by the participant"
    assert book.sets == {"Negative": ["emotions.fear-worry", "emotions.shame"]}


def test_schema_location_variants_and_no_namespace_are_accepted(tmp_path):
    variants = [
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">',
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:codebook:1.0 Codebook.xsd">',
        '<qda:CodeBook xmlns:qda="urn:QDA-XML:codebook:1.0">',
        "<CodeBook>",
    ]
    for n, opening in enumerate(variants):
        prefix = "qda:" if "qda:" in opening else ""
        text = (
            f'<?xml version="1.0"?>{opening}<{prefix}Codes><{prefix}Code guid="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}" '
            f'name="Trust" isCodable="true"/></{prefix}Codes></{prefix}CodeBook>'
        )
        path = tmp_path / f"v{n}.qdc"
        path.write_text(text)
        [code] = load_codebook(path).codes
        assert (code.key, code.guid) == ("trust", "abcdef01-2345-4678-9abc-def012345678")


@pytest.mark.parametrize("name", ["qc-demo.qdpx", "nvivo-mac-15.qdpx"])
def test_codebooks_inside_real_qdpx_samples_import(name, project):
    with zipfile.ZipFile(SAMPLES / name) as archive:
        xml_bytes = archive.read("project.qde")
    book = codebook_from_qde(xml_bytes, name=name)
    assert len(book.codes) > 50
    keys = [c.key for c in book.codes]
    assert len(keys) == len(set(keys))
    codes = book.by_key()
    # "programming" appears under two parents; their keys are distinct readable paths.
    assert codes["rq1_definition.competencies.programming"].guid != codes["rq1_definition.framings.cs_as_programming.programming"].guid
    assert codes["rq1_definition"].guid == "34653336-3766-3235-6466-363134396437"
    for code in book.codes:
        assert code.guid and normalise_guid(code.guid) == code.guid
        assert code.parent is None or code.parent in codes
    install_codebook(project, book)
    assert project.db.execute("SELECT count(*) FROM codes").fetchone()[0] == len(book.codes)
    assert project.db.execute(
        "SELECT guid FROM codes WHERE key = 'rq1_definition'"
    ).fetchone()[0] == "34653336-3766-3235-6466-363134396437"


def test_both_samples_yield_the_same_codebook():
    books = []
    for name in ("qc-demo.qdpx", "nvivo-mac-15.qdpx"):
        with zipfile.ZipFile(SAMPLES / name) as archive:
            books.append(codebook_from_qde(archive.read("project.qde"), name=name))
    assert [(c.key, c.guid, c.parent) for c in books[0].codes] == [(c.key, c.guid, c.parent) for c in books[1].codes]


def test_qdc_from_another_tool_updates_by_guid(project, tmp_path):
    install_codebook(project, DATA / "other-tool.qdc")
    project.db.execute("UPDATE codes SET key = 'feelings' WHERE key = 'emotions'")  # our own naming
    changed = tmp_path / "changed.qdc"
    changed.write_text(
        (DATA / "other-tool.qdc").read_text().replace('name="Shame"', 'name="Shame and guilt"')
        .replace("Feelings expressed by the participant", "Feelings expressed")
    )
    report = import_codebook(project, changed)
    assert report.added == []
    # Keys never change on import: the renamed parent is found by guid, children keep their keys.
    assert report.changed == {"feelings": ["description"], "emotions.shame": ["labels"]}
    assert sorted(report.unchanged) == ["emotions-2", "emotions.fear-worry"]
    assert project.label(project.code("emotions.shame"), "en") == "Shame and guilt"
    assert project.code("emotions.shame")["parent"] == "feelings"


def test_external_entities_are_refused():
    with pytest.raises(CoderError, match="refused"):
        load_codebook(DATA / "xxe.qdc")


def test_entity_expansion_is_refused():
    with pytest.raises(CoderError, match="entity-expansion"):
        load_codebook(DATA / "billion-laughs.qdc")


def test_entities_inside_a_qde_are_refused():
    text = (DATA / "billion-laughs.qdc").read_bytes().replace(b"CodeBook", b"Project")
    with pytest.raises(CoderError, match="entity-expansion"):
        codebook_from_qde(text)


def test_malformed_xml_and_wrong_root_are_clear_errors(tmp_path):
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook><Codes>")
    with pytest.raises(CoderError, match="not well-formed XML"):
        load_codebook(broken)
    project_file = tmp_path / "project.qdc"
    project_file.write_text('<Project xmlns="urn:QDA-XML:project:1.0"/>')
    with pytest.raises(CoderError, match="root element is <Project>"):
        load_codebook(project_file)


def test_project_codebook_exports_foreign_guids_unchanged(project, tmp_path, schema):
    install_codebook(project, DATA / "other-tool.qdc")
    out = tmp_path / "out.qdc"
    write_codebook(project_codebook(project), out)
    schema.validate(str(out))
    text = out.read_text()
    assert 'guid="a1b2c3d4-0000-4000-8000-000000000001"' in text
    assert 'name="Negative"' in text


def test_missing_or_malformed_guids_and_names_are_tolerated(tmp_path):
    path = tmp_path / "sloppy.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="Trust" isCodable="true"/>'
        '<Code guid="not-a-guid" isCodable="true"/></Codes></CodeBook>'
    )
    book = load_codebook(path)
    assert [(c.key, c.guid) for c in book.codes] == [("trust", None), ("unnamed", None)]
