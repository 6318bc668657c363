"""The demo project: fictional facilitator notes shipped with coder, the starter codebook and a
few codings, so a new user sees every part of the tool working at once.

The notes are invented (participant codes only). Two of them hold a deliberate identifier slip
(a relative's first name, a phone number) so the identifier review queue has work in it.
"""

from __future__ import annotations

from pathlib import Path

from coder.errors import CoderError
from coder.store import Project, create_project, open_project

DEMO_NOTES = Path(__file__).parent / "data" / "demo"
DEMO_COUNTRY = "Mexico"
DEMO_LANGUAGE = "es"
DEMO_CODER = "demo"
_DEMO_META = "demo"

# (note file name, phrase in it, code key, memo). Located in the stored text at build time, so
# the codings stay right when a note is edited.
DEMO_CODINGS: list[tuple[str, str, str, str | None]] = [
    ("mx-p03.md", "no le dijo a nadie lo que pasaba porque sentía vergüenza y pensaba que era su culpa",
     "barriers.fear-shame-guilt", "Self-blame over the first photos."),
    ("mx-p03.md", "le preguntaron por qué se había tomado las fotos", "barriers.institutional-attitudes", None),
    ("mx-p03.md", "La primera persona a quien se lo contó fue una amiga de la secundaria", "disclosure.peers", None),
    ("mx-p03.md", "si dejaba de contestar iba a mandar todo a su familia", "control.threats", None),
    ("mx-p03.md", "la psicóloga es la primera adulta que le creyó", "services.psychological", None),
    ("co-p05.md", "la abogada de la fundación le explicó paso a paso qué iba a pasar con la denuncia",
     "services.legal", "Explaining the procedure reduced fear."),
    ("co-p05.md", "Sus amigas se dieron cuenta antes que los adultos", "disclosure.peers", None),
    ("en-p02.md", "He threatened to send the pictures to her school if she stopped replying", "control.threats", None),
    ("en-p02.md", "the officer laughed and said girls should be more careful", "barriers.institutional-attitudes", None),
    ("en-p06.md", "the psychological support was what let her sleep again", "services.psychological", None),
    ("al-p01.md", "kishte turp dhe frikë se familja do ta fajësonte", "barriers.fear-shame-guilt", None),
    ("al-p04.md", "Ndihma juridike nga organizata", "services.legal", None),
    ("md-p02.md", "i-a fost rușine să povestească acasă", "barriers.fear-shame-guilt", None),
    ("md-p05.md", "Prietenele ei au observat că s-a schimbat", "disclosure.peers", None),
]


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _is_demo(path: Path) -> bool:
    try:
        with open_project(path, readonly=True) as existing:
            return existing.meta(_DEMO_META) == "1"
    except CoderError:
        return False


def build_demo(path: str | Path = Path("projects/demo.coder"), *, force: bool = False, scan: bool = True) -> Project:
    """Build (or rebuild) the demo project at `path` and return it open.

    An existing demo project there is replaced; any other file is only replaced with `force`.
    """
    from coder.codebook import install_codebook, starter_codebook_path
    from coder.coding import add_coding
    from coder.ingest import import_paths

    path = Path(path)
    if path.exists():
        if not force and not _is_demo(path):
            raise CoderError(f"{path} exists and is not a demo project; use --force to replace it")
        _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    project = create_project(path, country=DEMO_COUNTRY, language=DEMO_LANGUAGE, coder=DEMO_CODER, name="demo")
    try:
        project.set_meta(_DEMO_META, "1")
        install_codebook(project, starter_codebook_path())
        report = import_paths(project, sorted(DEMO_NOTES.glob("*.md")))
        if report.failed:
            raise CoderError("demo notes could not be imported: " + "; ".join(m for _, m in report.failed))
        by_source = {
            source: (doc_id, text)
            for doc_id, source, text in project.db.execute("SELECT id, source, text FROM documents")
        }
        for source, phrase, code_key, memo in DEMO_CODINGS:
            document_id, text = by_source[source]
            start = text.find(phrase)
            if start < 0:
                raise CoderError(f"demo: phrase for {code_key} not found in {source}")
            add_coding(project, document_id, start, start + len(phrase), code_key, memo=memo)
        if scan:
            _scan(project, report.document_ids)
    except BaseException:
        project.close()
        _remove(path)
        raise
    return project


def _scan(project: Project, document_ids: list[int]) -> None:
    try:
        from coder.review import scan_documents
    except ImportError:
        return  # identifier review not installed: the demo still shows coding
    scan_documents(project, document_ids)
