"""Codebook merge: three country codebooks adapted from the starter, matched into one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coder.cli import app
from coder.codebook import load_codebook, starter_codebook_path, write_codebook
from coder.codebook.model import Code, Codebook
from coder.errors import CoderError
from coder.merge import MAPPING_COLUMNS, merge_codebooks, read_mapping, write_mapping

DATA = Path(__file__).parent / "data" / "merge"
COUNTRY_FILES = ["colombia.yaml", "albania.yaml", "mexico.yaml"]

# Every row that is not a plain same-key match, for starter + colombia + albania + mexico.
EXPECTED_NON_KEY = {
    ("colombia", "barriers.fear-of-retaliation"): ("barriers.fear-of-retaliation", "new"),
    ("colombia", "barriers.armed-conflict"): ("barriers.armed-conflict", "new"),
    ("albania", "barriers.emigration"): ("barriers.emigration", "new"),
    ("mexico", "barriers.shame-guilt"): ("barriers.fear-shame-guilt", "fuzzy"),
    ("mexico", "barriers.fear-of-reprisals"): ("barriers.fear-of-retaliation", "fuzzy"),
    ("mexico", "control.threats-blackmail"): ("control.threats", "fuzzy"),
    ("mexico", "services.mental-health"): ("services.psychological", "fuzzy"),
    ("mexico", "forms.online-games"): ("forms.online-games", "new"),
}


def country_books() -> list[Codebook]:
    return [load_codebook(starter_codebook_path())] + [load_codebook(DATA / name) for name in COUNTRY_FILES]


@pytest.fixture(scope="module")
def merged():
    return merge_codebooks(country_books(), name="all-countries")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_country_codebooks_are_adaptations_of_the_starter():
    starter, colombia, albania, mexico = country_books()
    starter_keys = {c.key for c in starter.codes}
    assert {c.key for c in colombia.codes} - starter_keys == {"barriers.fear-of-retaliation", "barriers.armed-conflict"}
    assert {c.key for c in albania.codes} - starter_keys == {"barriers.emigration"}
    assert starter_keys - {c.key for c in mexico.codes} == {
        "barriers.fear-shame-guilt", "control.threats", "services.psychological"
    }
    assert all("es" in c.labels for c in colombia.codes)
    assert all("sq" not in c.labels for c in colombia.codes)
    assert all("sq" in c.labels for c in albania.codes if c.key in {"barriers.anonymity", "services.legal"})


def test_merged_yaml_records_provenance(merged, tmp_path):
    path = tmp_path / "merged.yaml"
    write_codebook(merged.codebook, path)
    reread = load_codebook(path).by_key()
    assert reread["barriers.fear-of-retaliation"].provenance == [
        "colombia:barriers.fear-of-retaliation", "mexico:barriers.fear-of-reprisals"
    ]
    assert reread["services.psychological"].provenance[-1] == "mexico:services.mental-health"


def test_mapping_rows_for_the_three_country_codebooks(merged):
    rows = merged.rows
    books = country_books()
    assert len(rows) == sum(len(b.codes) for b in books)  # one row per source code
    assert len({(r.source_codebook, r.source_key) for r in rows}) == len(rows)
    non_key = {(r.source_codebook, r.source_key): (r.merged_key, r.method) for r in rows if r.method != "key"}
    assert non_key == EXPECTED_NON_KEY
    for r in rows:
        if r.method == "key":
            assert r.merged_key == r.source_key and r.score == 100.0
        if r.method == "fuzzy":
            assert r.score >= 80.0
        if r.method == "new":
            assert r.score < 80.0 or r.source_key == r.merged_key
    labels = {(r.source_codebook, r.source_key): r.source_label for r in rows}
    assert labels[("mexico", "barriers.fear-of-reprisals")] == "Fear of reprisals"


def test_merged_codebook_unites_codes_labels_and_provenance(merged):
    book = merged.codebook
    codes = book.by_key()
    assert book.name == "all-countries"
    assert len(codes) == 69 + 4  # the starter's codes and the four local ones
    assert codes["services.psychological"].provenance == [
        "survivor-perspectives:services.psychological",
        "colombia:services.psychological",
        "albania:services.psychological",
        "mexico:services.mental-health",
    ]
    assert codes["barriers.fear-of-retaliation"].provenance == [
        "colombia:barriers.fear-of-retaliation", "mexico:barriers.fear-of-reprisals"
    ]
    # The first codebook's label wins; the conflict is reported.
    assert codes["barriers.fear-shame-guilt"].labels["es"] == "Miedo, vergüenza y culpa"
    conflicts = {(c.merged_key, c.lang, c.dropped) for c in merged.conflicts}
    assert ("barriers.fear-shame-guilt", "es", "Miedo, pena y culpa") in conflicts
    assert ("services.legal", "sq", "Ndihma juridike falas") in conflicts
    # Labels only one team wrote are added.
    assert codes["barriers.anonymity"].labels["sq"] == "Frika nga ekspozimi dhe shkelja e anonimatit"
    assert codes["barriers.armed-conflict"].parent == "barriers"
    assert codes["forms.online-games"].parent == "forms"
    keys = [c.key for c in book.codes]
    for code in book.codes:  # parents before children
        if code.parent:
            assert keys.index(code.parent) < keys.index(code.key)


def test_uncertain_matches_are_listed(merged):
    uncertain = {(u.source_codebook, u.source_key): (u.candidate_key, u.method) for u in merged.uncertain}
    assert uncertain[("mexico", "barriers.fear-of-reprisals")] == ("barriers.fear-of-retaliation", "fuzzy")
    for u in merged.uncertain:
        assert 65.0 <= u.score < 90.0


@pytest.mark.parametrize("threshold", [60.0, 90.0, 100.0])
def test_nothing_merges_below_the_threshold(threshold):
    result = merge_codebooks(country_books(), threshold=threshold)
    for r in result.rows:
        if r.method == "fuzzy":
            assert r.score >= threshold - 1e-6
    if threshold >= 90:
        methods = {(r.source_codebook, r.source_key): r.method for r in result.rows}
        assert methods[("mexico", "barriers.fear-of-reprisals")] == "new"


def test_the_hierarchy_prior_prefers_children_of_the_matched_parent():
    legal = {"en": "Legal aid"}
    base = Codebook("base", codes=[
        Code("services", {"en": "Services"}),
        Code("services.legal", legal, parent="services"),
        Code("recommendations", {"en": "Recommendations"}),
        Code("recommendations.legal", legal, parent="recommendations"),
    ])
    team = Codebook("team", codes=[
        Code("recommendations", {"en": "Recommendations"}),
        Code("recommendations.legal-help", {"en": "Legal aid"}, parent="recommendations"),
    ])
    rows = {r.source_key: r for r in merge_codebooks([base, team]).rows if r.source_codebook == "team"}
    assert rows["recommendations.legal-help"].merged_key == "recommendations.legal"
    assert rows["recommendations.legal-help"].method == "fuzzy"


def test_one_to_one_per_source_codebook():
    base = Codebook("base", codes=[Code("fear", {"en": "Fear of retaliation"})])
    team = Codebook("team", codes=[
        Code("fear-a", {"en": "Fear of retaliation"}),
        Code("fear-b", {"en": "Fear of retaliation!"}),
    ])
    rows = [r for r in merge_codebooks([base, team]).rows if r.source_codebook == "team"]
    assert [(r.source_key, r.merged_key, r.method) for r in rows] == [
        ("fear-a", "fear", "fuzzy"), ("fear-b", "fear-b", "new")
    ]


def test_output_is_deterministic(tmp_path):
    for n in (1, 2):
        result = merge_codebooks(country_books(), name="m")
        write_codebook(result.codebook, tmp_path / f"m{n}.yaml")
        write_mapping(result.rows, tmp_path / f"m{n}.csv")
    assert (tmp_path / "m1.yaml").read_bytes() == (tmp_path / "m2.yaml").read_bytes()
    assert (tmp_path / "m1.csv").read_bytes() == (tmp_path / "m2.csv").read_bytes()


def test_edited_mapping_becomes_manual(tmp_path, merged):
    path = tmp_path / "mapping.csv"
    write_mapping(merged.rows, path)
    rows = read_rows(path)
    for row in rows:
        if (row["source_codebook"], row["source_key"]) == ("mexico", "barriers.fear-of-reprisals"):
            row["merged_key"] = "barriers.fear-of-reprisals"  # the lead keeps it apart
        if (row["source_codebook"], row["source_key"]) == ("albania", "barriers.emigration"):
            row["merged_key"] = "barriers.age-and-guardians"  # the lead folds it in
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # as a spreadsheet saves it
        writer = csv.DictWriter(fh, MAPPING_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    result = merge_codebooks(country_books(), edited=read_mapping(path))
    by_source = {(r.source_codebook, r.source_key): r for r in result.rows}
    assert by_source[("mexico", "barriers.fear-of-reprisals")].method == "manual"
    assert by_source[("albania", "barriers.emigration")].method == "manual"
    assert by_source[("albania", "barriers.emigration")].merged_key == "barriers.age-and-guardians"
    assert by_source[("mexico", "control.threats-blackmail")].method == "fuzzy"  # unchanged rows keep theirs
    assert sum(r.method == "manual" for r in result.rows) == 2
    codes = result.codebook.by_key()
    assert codes["barriers.fear-of-reprisals"].parent == "barriers"
    assert codes["barriers.fear-of-reprisals"].provenance == ["mexico:barriers.fear-of-reprisals"]
    assert "barriers.emigration" not in codes
    assert "albania:barriers.emigration" in codes["barriers.age-and-guardians"].provenance


def test_edited_mapping_that_does_not_fit_is_refused(tmp_path, merged):
    path = tmp_path / "mapping.csv"
    rows = [r for r in merged.rows if r.source_key != "forms.online-games"]
    rows[0].source_codebook = "peru"
    write_mapping(rows, path)
    with pytest.raises(CoderError) as exc:
        merge_codebooks(country_books(), edited=read_mapping(path))
    message = str(exc.value)
    assert "mexico:forms.online-games has no row" in message
    assert "peru:barriers is in the mapping but in none of the codebooks" in message


def test_mapping_file_problems_are_listed(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source_codebook,source_key,merged_key\n", encoding="utf-8")
    with pytest.raises(CoderError, match="header must be exactly"):
        read_mapping(path)
    path.write_text(
        ",".join(MAPPING_COLUMNS)
        + "\nmexico,a,A,,90,fuzzy\nmexico,b,B,b,x,key\nmexico,c,C,c,1,guess\nmexico,d,D,Fear Of,1,manual\n",
        encoding="utf-8",
    )
    with pytest.raises(CoderError) as exc:
        read_mapping(path)
    assert "4 problems" in str(exc.value)
    assert "line 5: merged_key 'Fear Of' is not a code key" in str(exc.value)


def test_codebooks_with_the_same_name_are_refused():
    with pytest.raises(CoderError, match="named"):
        merge_codebooks([Codebook("x", codes=[]), Codebook("x", codes=[])])


def test_cli_codebook_merge_writes_codebook_and_mapping(tmp_path, runner):
    # A .qdc input too: teams may send their codebook from another QDA tool.
    write_codebook(load_codebook(DATA / "albania.yaml"), tmp_path / "albania.qdc")
    inputs = [str(starter_codebook_path()), str(DATA / "colombia.yaml"), str(tmp_path / "albania.qdc"),
              str(DATA / "mexico.yaml")]
    out, mapping = tmp_path / "merged.yaml", tmp_path / "mapping.csv"
    result = runner.invoke(app, ["codebook", "merge", *inputs, "-o", str(out), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "Uncertain matches" in result.output and "84.7" in result.output
    with open(mapping, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(MAPPING_COLUMNS)
    rows = read_rows(mapping)
    non_key = {(r["source_codebook"], r["source_key"]): (r["merged_key"], r["method"])
               for r in rows if r["method"] != "key"}
    assert non_key == EXPECTED_NON_KEY
    book = load_codebook(out)
    assert book.name == "merged" and len(book.codes) == 73

    # The lead edits one row and applies the mapping.
    for row in rows:
        if row["source_key"] == "forms.online-games":
            row["merged_key"] = "forms.grooming"
    with open(mapping, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, MAPPING_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["codebook", "merge", *inputs, "-o", str(out), "--mapping",
                                 str(tmp_path / "final.csv"), "--use-mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    final = {r["source_key"]: r for r in read_rows(tmp_path / "final.csv") if r["source_codebook"] == "mexico"}
    assert final["forms.online-games"]["method"] == "manual"
    assert final["forms.online-games"]["merged_key"] == "forms.grooming"
    assert "forms.online-games" not in load_codebook(out).by_key()


def test_cli_codebook_merge_tells_same_named_codebooks_apart_by_file(tmp_path, runner):
    starter = load_codebook(starter_codebook_path())
    for name in ("peru", "bolivia"):
        write_codebook(starter, tmp_path / f"{name}.yaml")
    result = runner.invoke(app, ["codebook", "merge", str(tmp_path / "peru.yaml"), str(tmp_path / "bolivia.yaml"),
                                 "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "m.mapping.csv")
    assert {r["source_codebook"] for r in rows} == {"peru", "bolivia"}
    assert all(r["method"] == "key" for r in rows)


def test_cli_codebook_merge_error_is_one_line(tmp_path, runner):
    result = runner.invoke(app, ["codebook", "merge", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 1
    assert "error: no codebook file" in result.output
