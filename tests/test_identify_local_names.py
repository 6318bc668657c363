"""Local organisations, schools, streets and handles caught whole: offices with a number or a
hyphenated code, health centres, religious buildings named by an adjective, shops named after the
head noun, a brand's local branch, school acronyms, handles with dots or non-ASCII letters, and
given names starting a sentence. Sentences are made up; no name comes from a benchmark."""

from __future__ import annotations

import pytest

from flag_coverage import covered
from coder.identify import detect


WHOLE = [
    ("ro", "Am depus plângerea la Sectorul de poliție nr. 4 Orhei luni.", "Sectorul de poliție nr. 4 Orhei"),
    ("es", "La atendieron en la Coordinación Territorial BJU-5 por la tarde.", "BJU-5"),
    ("bs", "Pregled je obavila u Domu zdravlja Zenica prošle sedmice.", "Domu zdravlja Zenica"),
    ("bs", "Čekao ju je ispred Zelene džamije poslije nastave.", "Zelene džamije"),
    ("bs", "Sjedile su u kafiću Plava lasta do ponoći.", "kafiću Plava lasta"),
    ("ro", "Se vedeau la cafenea «Casa Veche» după ore.", "cafenea «Casa Veche»"),
    ("bs", "Pare je podigla u Western Union poslovnici u Travniku.", "Western Union poslovnici u Travniku"),
    ("es", "Estudia en el CBTIS 112 desde agosto.", "CBTIS 112"),
    ("es", "Pasó al CONALEP Ecatepec el año siguiente.", "CONALEP Ecatepec"),
    ("sq", "Ajo mbaroi Shkolla 9-vjeçare \"Fan Noli\" në fshat.", "Shkolla 9-vjeçare \"Fan Noli\""),
    ("es", "Vivía en la calle 12 Norte, cerca del mercado.", "calle 12 Norte"),
    ("es", "Su cuenta era lupita.mz_qro y la cambió.", "lupita.mz_qro"),
    ("es", "Le mandaba mensajes a @el_niño.oax cada noche.", "@el_niño.oax"),
    ("ru", "Она училась в педагогическом колледже им. В. Орлова.", "педагогическом колледже им. В. Орлова"),
    ("ro", "Victor i-a scris din nou. Victor a insistat mult.", "Victor"),
]


@pytest.mark.parametrize("lang,text,needle", WHOLE)
def test_local_names_are_flagged_whole(lang, text, needle):
    flags = detect(text, lang)
    assert covered(flags, text, needle), [(f.text, f.type) for f in flags]


def test_a_handle_is_one_contact_flag():
    text = "Su usuario era toño.vs_gdl en la app."
    flags = [f for f in detect(text, "es") if f.type == "CONTACT"]
    assert [f.text for f in flags] == ["toño.vs_gdl"]


@pytest.mark.parametrize("lang,text", [
    ("es", "La Fiscalía porque \"eso es muy delicado\" no respondió."),
    ("es", "Fue al CEM y de la nada llegó la policía."),
])
def test_quoted_speech_and_bare_acronyms_stay_quiet(lang, text):
    flags = detect(text, lang)
    assert not any("eso" in f.text or "nada" in f.text for f in flags), [(f.text, f.type) for f in flags]
