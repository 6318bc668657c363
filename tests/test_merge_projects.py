"""Project merge: three country projects into one, remapped through the merged codebook."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.cli import app
from coder.codebook import install_codebook, load_codebook, starter_codebook_path, write_codebook
from coder.codebook.model import Code, Codebook
from coder.coding import add_coding
from coder.errors import CoderError
from coder.memos import add_memo
from coder.merge import merge_codebooks, merge_projects, write_mapping
from coder.project import new_project
from coder.store import create_project, now, open_project

DATA = Path(__file__).parent / "data" / "merge"

SHARED = "Nota conjunta. Una amiga le contó a otra lo que pasaba y juntas buscaron ayuda."
TEXTS = {
    "colombia": "Tenía miedo de que se vengaran de su familia si denunciaba. Habló con María en Bogotá.",
    "albania": "Prindërit ishin në emigracion; nuk kishte kujt t'i tregonte. Ndihma juridike mungonte.",
    "mexico": "Le daba miedo que tomaran represalias. La amenazaron con publicar las fotos.",
}
# (project, document, passage, source code key, coder)
CODINGS = [
    ("colombia", "colombia", "miedo de que se vengaran", "barriers.fear-of-retaliation", "ana"),
    ("colombia", "colombia", "Habló con María", "disclosure.peers", "ana"),
    ("colombia", "shared", "Una amiga le contó a otra", "disclosure.peers", "ana"),
    ("albania", "albania", "Prindërit ishin në emigracion", "barriers.emigration", "drita"),
    ("albania", "albania", "Ndihma juridike mungonte", "services.legal", "drita"),
    ("mexico", "mexico", "miedo que tomaran represalias", "barriers.fear-of-reprisals", "luis"),
    ("mexico", "mexico", "La amenazaron con publicar las fotos", "control.threats-blackmail", "luis"),
    ("mexico", "shared", "Una amiga le contó a otra", "disclosure.peers", "ana"),  # the same coding twice
    ("mexico", "shared", "juntas buscaron ayuda", "services.mental-health", "luis"),
]
MAPPED = {
    "barriers.fear-of-reprisals": "barriers.fear-of-retaliation",
    "control.threats-blackmail": "control.threats",
    "services.mental-health": "services.psychological",
}
COUNTRIES = {"colombia": ("Colombia", "es"), "albania": ("Albania", "sq"), "mexico": ("Mexico", "es")}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_country(folder: Path, name: str) -> Path:
    country, lang = COUNTRIES[name]
    path = folder / f"{name}.coder"
    project = new_project(path, country=country, language=lang, codebook=DATA / f"{name}.yaml")
    docs = {"shared": SHARED} if name != "albania" else {}
    docs[name] = TEXTS[name]
    ids = {}
    with project.transaction():
        for title, text in docs.items():
            ids[title] = project.insert_document({"title": title, "text": text, "sha256": sha(text),
                                                  "participant": f"P-{name}"})
    for source, title, passage, key, coder in CODINGS:
        if source == name:
            start = docs[title].index(passage)
            add_coding(project, ids[title], start, start + len(passage), key, coder=coder, memo=f"memo {coder}")
    add_memo(project, f"{name} field note", document_id=ids[name], author="lead")
    add_memo(project, "shared memo", document_id=ids[name], code_key="disclosure.peers", author="lead")
    stamp = now()
    with project.transaction():
        start = docs[name].index(docs[name].split()[3])
        for status, reviewer in (("open", None), ("dismissed", "lead"), ("redacted", "lead")):
            project.db.execute(
                'INSERT INTO flags (document_id, start, "end", type, score, reason, status, origin, created, '
                "reviewed_by, reviewed_at) VALUES (?, ?, ?, 'PERSON', 0.9, 'test', ?, 'detector', ?, ?, ?)",
                [ids[name], start, start + 3 + len(status), status, stamp, reviewer, stamp if reviewer else None],
            )
        project.db.execute(
            "INSERT INTO allowlist (term, type, added_by, added_at) VALUES (?, 'PLACE', 'lead', ?)",
            [f"term-{name}", stamp],
        )
    project.close()
    return path


@pytest.fixture(scope="module")
def countries(tmp_path_factory):
    """The three country projects, the merged codebook and its mapping (built once, never changed)."""
    folder = tmp_path_factory.mktemp("countries")
    # Module-scoped: built before conftest's per-test settings isolation, so isolate here too.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODER_CONFIG", str(folder / "config.json"))
        patch.setenv("CODER_NAME", "tester")
        paths = {name: build_country(folder, name) for name in ("colombia", "albania", "mexico")}
    books = [load_codebook(starter_codebook_path())] + [load_codebook(DATA / f"{n}.yaml") for n in paths]
    result = merge_codebooks(books, name="merged")
    write_codebook(result.codebook, folder / "merged.yaml")
    write_mapping(result.rows, folder / "mapping.csv")
    return folder, paths


def merge_all(countries, output: Path, order=("colombia", "albania", "mexico"), extra=()):
    folder, paths = countries
    return merge_projects([*extra, *(paths[n] for n in order)], output,
                          codebook=folder / "merged.yaml", mapping=folder / "mapping.csv")


def content(path: Path) -> dict[str, list[tuple]]:
    """What a project holds, by value (sha256 and code keys, not row ids), ignoring timestamps."""
    project = open_project(path, readonly=True)
    db = project.db
    try:
        return {
            "documents": sorted(db.execute(
                "SELECT sha256, title, country, participant, text, attributes FROM documents").fetchall()),
            "codings": sorted(db.execute(
                'SELECT d.sha256, c.start, c."end", k.key, c.coder, c.memo FROM codings c '
                "JOIN documents d ON d.id = c.document_id JOIN codes k ON k.id = c.code_id").fetchall()),
            "memos": sorted(db.execute(
                "SELECT d.sha256, k.key, m.text, m.author FROM memos m LEFT JOIN documents d ON d.id = m.document_id "
                "LEFT JOIN codes k ON k.id = m.code_id").fetchall(), key=repr),
            "flags": sorted(db.execute(
                'SELECT d.sha256, f.start, f."end", f.type, f.status, f.reviewed_by FROM flags f '
                "JOIN documents d ON d.id = f.document_id").fetchall(), key=repr),
            "allowlist": sorted(db.execute("SELECT term, type FROM allowlist").fetchall()),
            "codes": sorted(db.execute("SELECT key, parent, labels, provenance FROM codes").fetchall(), key=repr),
        }
    finally:
        project.close()


def test_merge_brings_everything_remapped(countries, tmp_path):
    folder, paths = countries
    before = {name: file_hash(p) for name, p in paths.items()}
    out = tmp_path / "ALL.coder"
    report = merge_all(countries, out)
    assert {name: file_hash(p) for name, p in paths.items()} == before  # inputs never change
    assert report.totals["documents"] == 4

    merged = open_project(out, readonly=True)
    docs = {d["title"]: d for d in merged.documents(with_text=True)}
    assert set(docs) == {"colombia", "albania", "mexico", "shared"}
    assert docs["shared"]["attributes"]["source_projects"] == ["colombia", "mexico"]
    assert docs["albania"]["attributes"]["source_projects"] == ["albania"]
    assert docs["albania"]["country"] == "Albania" and docs["mexico"]["country"] == "Mexico"
    assert merged.meta("codebook_name") == "merged"

    rows = merged.db.execute(
        'SELECT d.title, substr(d.text, c.start + 1, c."end" - c.start), k.key, c.coder, c.memo FROM codings c '
        "JOIN documents d ON d.id = c.document_id JOIN codes k ON k.id = c.code_id ORDER BY c.id"
    ).fetchall()
    expected = {(title, passage, MAPPED.get(key, key), coder, f"memo {coder}")
                for _, title, passage, key, coder in CODINGS}
    assert set(rows) == expected
    assert len(rows) == len(CODINGS) - 1  # the shared coding done in two projects appears once

    provenance = merged.code("barriers.fear-of-retaliation")["provenance"]
    assert provenance == ["colombia:barriers.fear-of-retaliation", "mexico:barriers.fear-of-reprisals"]

    flags = merged.db.execute("SELECT status, reviewed_by FROM flags ORDER BY id").fetchall()
    assert sorted(flags, key=repr) == sorted([("open", None), ("dismissed", "lead"), ("redacted", "lead")] * 3, key=repr)
    terms = [r[0] for r in merged.db.execute("SELECT term FROM allowlist ORDER BY term")]
    assert terms == ["term-albania", "term-colombia", "term-mexico"]
    memos = merged.db.execute(
        "SELECT d.title, k.key, m.text FROM memos m JOIN documents d ON d.id = m.document_id "
        "LEFT JOIN codes k ON k.id = m.code_id ORDER BY m.id").fetchall()
    assert ("mexico", None, "mexico field note") in memos
    assert ("albania", "disclosure.peers", "shared memo") in memos

    audit = merged.db.execute(
        "SELECT target, details FROM audit WHERE action = 'merge.source' ORDER BY id").fetchall()
    assert [Path(t) for t, _ in audit] == [paths["colombia"], paths["albania"], paths["mexico"]]
    details = [json.loads(d) for _, d in audit]
    assert [d["sha256"] for d in details] == [before["colombia"], before["albania"], before["mexico"]]
    assert details[2]["documents"] == 2 and details[2]["documents_new"] == 1
    assert details[2]["codings"] == 4 and details[2]["codings_new"] == 3
    assert details[2]["coders"] == ["ana", "luis"]
    # The sources' own audit trails come along, marked with where they came from.
    copied = merged.db.execute(
        "SELECT count(*) FROM audit WHERE action = 'coding.add' AND json_extract(details, '$.merged_from') = 'mexico'"
    ).fetchone()[0]
    assert copied == 4
    merged.close()


def test_merge_is_deterministic_and_idempotent(countries, tmp_path):
    folder, paths = countries
    first, second = tmp_path / "one.coder", tmp_path / "two.coder"
    merge_all(countries, first)
    merge_all(countries, second)

    def rows(path):
        project = open_project(path, readonly=True)
        out = {}
        for table, sql in {
            "documents": "SELECT * FROM documents ORDER BY id",
            "codings": "SELECT * FROM codings ORDER BY id",
            "memos": "SELECT * FROM memos ORDER BY id",
            "flags": "SELECT * FROM flags ORDER BY id",
            "codes": "SELECT id, key, parent, labels, provenance, position FROM codes ORDER BY id",
            "audit": "SELECT who, action, target, details FROM audit WHERE action != 'project.create' ORDER BY id",
        }.items():
            out[table] = project.db.execute(sql).fetchall()
        project.close()
        return out

    assert rows(first) == rows(second)  # same rows, same order (timestamps of the merge aside)

    # Merging the merged project with a country already in it adds nothing.
    again = tmp_path / "again.coder"
    report = merge_projects([first, paths["mexico"]], again, codebook=folder / "merged.yaml",
                            mapping=folder / "mapping.csv")
    assert content(again) == content(first)
    assert report.sources[1].counts["codings_new"] == 0
    assert report.sources[1].counts["documents_new"] == 0


def test_merging_a_merged_project_with_one_more_country(countries, tmp_path):
    folder, paths = countries
    partial = tmp_path / "partial.coder"
    merge_all(countries, partial, order=("colombia", "mexico"))
    grown = tmp_path / "grown.coder"
    report = merge_all(countries, grown, order=("albania",), extra=(partial,))
    assert report.sources[1].counts["documents_new"] == 1
    assert report.sources[1].counts["codings_new"] == 2
    direct = tmp_path / "direct.coder"
    merge_all(countries, direct, order=("colombia", "mexico", "albania"))
    assert content(grown) == content(direct)


def test_codings_without_mapping_are_refused_and_listed(countries, tmp_path):
    folder, paths = countries
    lines = (folder / "mapping.csv").read_text(encoding="utf-8").splitlines()
    kept = [l for l in lines if not l.startswith(("mexico,control.threats-blackmail", "albania,"))]
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "ALL.coder"
    with pytest.raises(CoderError) as exc:
        merge_projects(list(paths.values()), out, codebook=folder / "merged.yaml", mapping=partial)
    message = str(exc.value)
    assert "mexico.coder: code control.threats-blackmail has no mapping (1 codings, 0 memos)" in message
    assert "albania.coder: no mapping rows for its codebook ('albania')" in message
    assert "albania.coder: code barriers.emigration has no mapping (1 codings, 0 memos)" in message
    assert "albania.coder: code disclosure.peers has no mapping (0 codings, 1 memos)" in message
    assert not out.exists()


def test_codings_mapped_to_a_category_are_refused(countries, tmp_path):
    folder, paths = countries
    text = (folder / "mapping.csv").read_text(encoding="utf-8")
    edited = tmp_path / "edited.csv"
    edited.write_text(text.replace("mexico,control.threats-blackmail,Threats and blackmail,control.threats,",
                                   "mexico,control.threats-blackmail,Threats and blackmail,recommendations,"),
                      encoding="utf-8")
    with pytest.raises(CoderError) as exc:
        merge_projects(list(paths.values()), tmp_path / "ALL.coder", codebook=folder / "merged.yaml", mapping=edited)
    assert "mexico.coder: code control.threats-blackmail goes to recommendations, a category" in str(exc.value)


def test_without_a_codebook_projects_merge_by_key(countries, tmp_path):
    _, paths = countries
    out = tmp_path / "by-key.coder"
    merge_projects([paths["colombia"], paths["albania"]], out)
    merged = open_project(out, readonly=True)
    keys = {c["key"] for c in merged.codes()}
    assert {"barriers.fear-of-retaliation", "barriers.armed-conflict", "barriers.emigration"} <= keys
    assert len(keys) == 69 + 3
    assert merged.code("barriers.emigration")["parent"] == "barriers"
    coded = {r[0] for r in merged.db.execute("SELECT k.key FROM codings c JOIN codes k ON k.id = c.code_id")}
    assert coded == {"barriers.fear-of-retaliation", "disclosure.peers", "barriers.emigration", "services.legal"}
    # Both teams installed their own codebook; the Albanian labels come along.
    assert merged.code("barriers.anonymity")["labels"]["sq"].startswith("Frika")
    merged.close()


def test_the_same_document_with_different_text_is_refused(tmp_path):
    paths = []
    for name, text in (("one", "Habló con Ana."), ("two", "Habló con ███.")):
        project = create_project(tmp_path / f"{name}.coder", country="Peru")
        with project.transaction():
            project.insert_document({"title": "n", "text": text, "sha256": "same-source-file"})
        project.close()
        paths.append(tmp_path / f"{name}.coder")
    with pytest.raises(CoderError, match="different text"):
        merge_projects(paths, tmp_path / "all.coder")
    assert not (tmp_path / "all.coder").exists()


def test_output_must_be_new(countries, tmp_path):
    _, paths = countries
    with pytest.raises(CoderError, match="already exists"):
        merge_projects([paths["colombia"]], paths["mexico"])
    with pytest.raises(CoderError, match="given twice"):
        merge_projects([paths["colombia"], paths["colombia"]], tmp_path / "x.coder")


def test_cli_merge(countries, tmp_path, runner):
    folder, paths = countries
    out = tmp_path / "ALL.coder"
    result = runner.invoke(app, ["merge", *map(str, paths.values()), "-o", str(out),
                                 "--codebook", str(folder / "merged.yaml"), "--mapping", str(folder / "mapping.csv")])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    merged = open_project(out, readonly=True)
    assert merged.db.execute("SELECT count(*) FROM codings").fetchone()[0] == len(CODINGS) - 1
    merged.close()

    bad = tmp_path / "bad.csv"
    bad.write_text((folder / "mapping.csv").read_text(encoding="utf-8").replace(
        "mexico,services.mental-health", "mexico,services.mental-health-x"), encoding="utf-8")
    result = runner.invoke(app, ["merge", *map(str, paths.values()), "-o", str(tmp_path / "B.coder"),
                                 "--codebook", str(folder / "merged.yaml"), "--mapping", str(bad)])
    assert result.exit_code == 1
    assert "error: cannot merge" in result.output
    assert "mexico.coder: code services.mental-health has no mapping (1 codings, 0 memos)" in result.output
    assert not (tmp_path / "B.coder").exists()


# -- property: a merge keeps the exact coded text of every coding --------------------------------

BOOK_A = Codebook("team-a", codes=[Code("theme", {"en": "Theme"}), Code("theme.fear", {"en": "Fear of reprisals"}, parent="theme"),
                                   Code("theme.help", {"en": "Asking for help"}, parent="theme")])
BOOK_B = Codebook("team-b", codes=[Code("theme", {"en": "Theme"}), Code("theme.afraid", {"en": "Fear of reprisals"}, parent="theme"),
                                   Code("theme.help", {"en": "Asking for help"}, parent="theme")])

words = st.text(alphabet="abcñé ü\n🙂ΣЖ", min_size=1, max_size=40)
codings_strategy = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 39), st.integers(1, 12), st.sampled_from([1, 2]),
              st.sampled_from(["ana", "luis"])),
    max_size=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_a=st.lists(words, min_size=1, max_size=3), texts_b=st.lists(words, min_size=1, max_size=3),
       codings_a=codings_strategy, codings_b=codings_strategy, share=st.booleans())
def test_merge_keeps_the_coded_text_of_every_coding(texts_a, texts_b, codings_a, codings_b, share):
    if share:
        texts_b = [texts_a[0], *texts_b]  # the same document in both projects
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        expected = set()
        sources = []
        for name, book, texts, codings in (("a", BOOK_A, texts_a, codings_a), ("b", BOOK_B, texts_b, codings_b)):
            project = create_project(folder / f"{name}.coder")
            install_codebook(project, book)
            texts = list(dict.fromkeys(texts))
            with project.transaction():
                ids = [project.insert_document({"title": f"{name}{i}", "text": t, "sha256": sha(t)})
                       for i, t in enumerate(texts)]
            for doc, start, length, code, coder in codings:
                text = texts[doc % len(texts)]
                start = start % len(text)
                end = min(len(text), start + length)
                key = book.codes[code].key
                add_coding(project, ids[doc % len(texts)], start, end, key, coder=coder)
                expected.add((sha(text), text[start:end], {"theme.afraid": "theme.fear"}.get(key, key), coder))
            project.close()
            sources.append(folder / f"{name}.coder")
        result = merge_codebooks([BOOK_A, BOOK_B], name="m")
        assert {(r.source_key, r.merged_key) for r in result.rows if r.source_codebook == "team-b"} >= {
            ("theme.afraid", "theme.fear")}
        write_codebook(result.codebook, folder / "m.yaml")
        write_mapping(result.rows, folder / "m.csv")
        merge_projects(sources, folder / "all.coder", codebook=folder / "m.yaml", mapping=folder / "m.csv")
        merged = open_project(folder / "all.coder", readonly=True)
        got = set()
        for text, start, end, key, coder, digest in merged.db.execute(
            'SELECT d.text, c.start, c."end", k.key, c.coder, d.sha256 FROM codings c '
            "JOIN documents d ON d.id = c.document_id JOIN codes k ON k.id = c.code_id"
        ):
            got.add((digest, text[start:end], key, coder))
        merged.close()
        assert got == expected
