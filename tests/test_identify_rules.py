"""Second-pass detection rules: head nouns of organisations and schools, quoted Russian names,
Cyrillic document numbers, lowercase and declined names, grid addresses, dates without a year,
handles without "@", and the false alarms that must stay quiet (role nouns, institutions,
participant codes with ages, helplines, inflected countries and platforms)."""

from __future__ import annotations

import pytest

from flag_coverage import covered, touched
from coder.identify import detect


# (lang, sentence, identifier whose every word must be covered, including the head noun)
HEAD_NOUNS = [
    ("bs", "Poslije škole je radila u pekari Kod Tetke Mare u centru.", "pekari Kod Tetke Mare"),
    ("bs", "Često je sjedila u kafiću Limeta sa drugaricama.", "kafiću Limeta"),
    ("bs", "Trenirala je dvije godine u Rukometnom klubu Sloga.", "Rukometnom klubu Sloga"),
    ("bs", "Dolazila je u Omladinskog centra Mostar svake srijede.", "Omladinskog centra Mostar"),
    ("bs", "Radila je vikendom u kozmetičkom salonu Jasmina.", "kozmetičkom salonu Jasmina"),
    ("ro", "Am fost împreună la Inspectoratul de Poliție Soroca ieri.", "Inspectoratul de Poliție Soroca"),
    ("sq", "Dosja kaloi te Prokuroria e Beratit pas dy javësh.", "Prokuroria e Beratit"),
    ("ru", "Она ходила на занятия Молодёжного центра Бендеры.", "Молодёжного центра Бендеры"),
    ("ru", "Она училась в лицее имени Михаила Лермонтова до девятого класса.", "лицее имени Михаила Лермонтова"),
    ("ru", "Её направили в инспекторат полиции Оргеев для заявления.", "инспекторат полиции Оргеев"),
    ("ru", "Сейчас она учится в средняя школа № 12 города.", "средняя школа № 12"),
    ("sq", "E çuan te Komisariati nr. 3 për deklaratë.", "Komisariati nr. 3"),
    ("en", "She was referred to the Red Cross branch in Elbasan last spring.", "Red Cross branch in Elbasan"),
]


@pytest.mark.parametrize("lang,text,needle", HEAD_NOUNS)
def test_head_noun_joins_the_flag(lang, text, needle):
    flags = detect(text, lang)
    assert covered(flags, text, needle), [(f.text, f.type) for f in flags]
    flag = next(f for f in flags if f.start <= text.index(needle) < f.end)
    assert flag.type in ("ORG", "SCHOOL")


def test_quoted_name_after_russian_org_noun():
    text = "Она получала помощь от ассоциации «Светлый путь» в прошлом году."
    flags = detect(text, "ru")
    assert covered(flags, text, "ассоциации «Светлый путь»")


@pytest.mark.parametrize("text,needle", [
    ("Заявление зарегистрировано в КУСП 7315 в тот же день.", "КУСП 7315"),
    ("У неё паспорт ПМР серии I-ПР 0619244, выданный в Тирасполе.", "I-ПР 0619244"),
])
def test_cyrillic_document_numbers(text, needle):
    flags = detect(text, "ru")
    assert covered(flags, text, needle)
    assert any(f.type == "ID" for f in flags if f.start <= text.index(needle) < f.end)


def test_cyrillic_capitals_before_a_year_are_no_id():
    text = "В 2019 году СМИ 2020 писали об этом."
    assert not any(f.type == "ID" for f in detect(text, "ru"))


@pytest.mark.parametrize("lang,text,needle", [
    ("en", "her classmate faris kept writing to her", "faris"),
    ("es", "su amiga tina le pasó el número", "tina"),
    ("en", "a guy named tobbe added her on the app", "tobbe"),
    ("es", "un chico que se llama kenyo la buscó", "kenyo"),
])
def test_lowercase_names(lang, text, needle):
    assert covered(detect(text, lang), text, needle)


def test_albanian_declined_name_starting_a_line():
    text = "Takimi zgjati një orë.\nVjollcës i dërgonin mesazhe çdo natë.\n- Blertës i thanë të mos flasë."
    flags = detect(text, "sq")
    assert covered(flags, text, "Vjollcës")
    assert covered(flags, text, "Blertës")


@pytest.mark.parametrize("text,needle", [
    ("Vive en la Carrera 27 con Calle 18, cerca del parque.", "Carrera 27"),
    ("Vive en la Carrera 27 con Calle 18, cerca del parque.", "Calle 18"),
    ("La dirección es Carrera 7 # 45-12, apartamento 2.", "Carrera 7 # 45-12"),
    ("Quedaba en la Cra. 9 #31-40 y luego en la Cl 56 Sur.", "Cra. 9 #31-40"),
    ("Quedaba en la Cra. 9 #31-40 y luego en la Cl 56 Sur.", "Cl 56 Sur"),
    ("Se veían por la Diagonal 62 o la Transversal 5.", "Diagonal 62"),
    ("Se veían por la Diagonal 62 o la Transversal 5.", "Transversal 5"),
    ("Vivía en Jr. Huallaga 812 y después en Mz. C Lt. 14 de la asociación.", "Jr. Huallaga 812"),
    ("Vivía en Jr. Huallaga 812 y después en Mz. C Lt. 14 de la asociación.", "Mz. C Lt. 14"),
])
def test_grid_and_block_addresses(text, needle):
    assert covered(detect(text, "es"), text, needle)


@pytest.mark.parametrize("lang,text,needle", [
    ("bs", "Prvi put joj je pisao 23. avgusta 2019. preko aplikacije.", "23. avgusta 2019"),
    ("bs", "Prijava je podnesena 9. veljače 2022. u policiji.", "9. veljače 2022"),
    ("es", "Se vieron el 21.03 y otra vez el 28/03 en la plaza.", "21.03"),
    ("es", "Se vieron el 21.03 y otra vez el 28/03 en la plaza.", "28/03"),
])
def test_dates(lang, text, needle):
    flags = detect(text, lang)
    assert covered(flags, text, needle)
    assert next(f for f in flags if f.start <= text.index(needle) < f.end).type == "DATE"


def test_decimals_are_no_dates():
    text = "Pesaba 2.05 kilos y pagó 10.50 pesos."
    assert not any(f.type == "DATE" for f in detect(text, "es"))


@pytest.mark.parametrize("lang,text,needle", [
    ("sq", "Ai i shkruante nga profili besi.prz çdo mbrëmje.", "besi.prz"),
    ("sq", "Llogaria e tij në Instagram ishte vlora.boss dhe ndryshonte shpesh.", "vlora.boss"),
    ("es", "Su cuenta de TikTok era caro_mendez07 desde el año pasado.", "caro_mendez07"),
    ("ro", "Contul lui de Instagram era andrei.vls pe atunci.", "andrei.vls"),
])
def test_handles_without_at(lang, text, needle):
    flags = detect(text, lang)
    assert covered(flags, text, needle)
    assert next(f for f in flags if f.start <= text.index(needle) < f.end).type == "CONTACT"


def test_file_names_are_no_handles():
    text = "El perfil quedó guardado en el archivo perfil.docx de la carpeta."
    assert not any(f.type == "CONTACT" for f in detect(text, "es"))


@pytest.mark.parametrize("lang,text,needle", [
    ("en", "P14 (17) joined late. She said little at first.", "P14 (17)"),
    ("ru", "P22 18 лет, пришла одна.", "P22 18"),
    ("es", "Participante P05 (16) llegó con su madre.", "P05 (16)"),
])
def test_participant_code_with_age_is_not_flagged(lang, text, needle):
    assert not touched(detect(text, lang), text, needle)


@pytest.mark.parametrize("lang,text,word", [
    ("bs", "Sesija je bila kratka. Razrednica je znala za poruke.", "Razrednica"),
    ("bs", "Prošli put smo pričali. Pedagoginja ju je pozvala na razgovor.", "Pedagoginja"),
    ("bs", "Nije htjela reći odmah. Počinilac joj je prijetio.", "Počinilac"),
    ("bs", "Sve je bilo tiho. Povjerila je to tek sestri.", "Povjerila"),
    ("es", "Se cerró la sesión. Facilitadora: se acordó otra cita.", "Facilitadora"),
    ("ro", "Sesiunea a fost scurtă. Diriginta a aflat din întâmplare.", "Diriginta"),
    ("ro", "Am vorbit puțin. Facilitatoare: a cerut o pauză.", "Facilitatoare"),
    ("en", "We ended early.\nDebrief: the group was tired.\nFollow-up: call next week.", "Debrief"),
    ("en", "We ended early.\nDebrief: the group was tired.\nFollow-up: call next week.", "Follow-up"),
])
def test_role_nouns_and_verbs_starting_a_sentence(lang, text, word):
    assert not touched(detect(text, lang), text, word)


@pytest.mark.parametrize("lang,text,word", [
    ("sq", "Ajo foli për Ligjin. Ligji për Mbrojtjen e të Dhënave Personale u përmend.", "Mbrojtjen"),
    ("sq", "Ajo foli për Ligjin. Ligji për Mbrojtjen e të Dhënave Personale u përmend.", "Dhënave"),
    ("sq", "Lehtësuesja e pyeti. Punon në një dyqan tani.", "Punon"),
    ("sq", "Pas takimit ajo shkoi te Njësinë për të Miturit.", "Njësinë"),
    ("ru", "Она жила в Италии, потом в Турции.", "Италии"),
    ("ru", "Она жила в Италии, потом в Турции.", "Турции"),
    ("ru", "Он нашёл её в Одноклассниках весной.", "Одноклассниках"),
    ("ru", "Об этом сообщили в Министерство образования.", "Министерство"),
    ("bs", "Pisao joj je na Instagramu i Viberu svaki dan.", "Instagramu i Viberu"),
    ("en", "Her number was on Moldcell back then.", "Moldcell"),
    ("es", "Fue a la Comisaría de Familia a preguntar.", "Comisaría de Familia"),
    ("en", "The case went to the State Police in the end.", "State Police"),
])
def test_national_bodies_laws_countries_and_platforms(lang, text, word):
    assert not touched(detect(text, lang), text, word)


def test_bosnian_helpline_is_not_a_contact():
    text = "Dali smo joj broj 080 05 03 05 za djecu."
    assert not touched(detect(text, "bs"), text, "080 05 03 05")


def test_local_office_is_still_flagged():
    text = "Fue a la Comisaría de Familia de Kennedy a denunciar."
    assert covered(detect(text, "es"), text, "Comisaría de Familia de Kennedy")


def test_name_that_looks_like_a_declined_decoy_stays_a_name():
    # "Martin" ends like a declined "mart" (March): it is a name as written
    text = "Na sastanku je bio Martin Horvat iz škole."
    assert covered(detect(text, "hr"), text, "Martin Horvat")


def test_flags_joined_by_a_connector_become_one():
    text = "Ajo mori ndihmë nga Kryqi i Kuq Berat dhe u kthye."
    flags = detect(text, "sq")
    assert covered(flags, text, "Kryqi i Kuq Berat")
    assert len([f for f in flags if f.start <= text.index("Kryqi") < f.end]) == 1


def test_frequent_word_inside_a_name_is_not_propagated():
    text = "Radila je u pekari Kod Bake Mare.\nKod kuće nije pričala o tome."
    flags = detect(text, "bs")
    assert covered(flags, text, "pekari Kod Bake Mare")
    second = text.index("Kod kuće")
    assert not any(f.start <= second < f.end for f in flags)


@pytest.mark.parametrize("lang, text, name", [
    ("es", "Nombre de la madre: Rosa Quispe Mamani\n", "Rosa Quispe Mamani"),
    ("es", "Primer apellido: Huamaní\n", "Huamaní"),
    ("en", "Facilitator: Vesna; a co-facilitator joined later.\n", "Vesna"),
])
def test_form_field_values_are_flagged(lang, text, name):
    assert covered(detect(text, lang), text, name)


def test_a_note_after_a_label_that_ends_in_a_role_is_not_a_name():
    # the label names a note, not a person: its value is the facilitator's comment
    text = "Nota de la facilitadora: P09 pidió que no la llamen por teléfono en horario escolar.\n"
    assert not [f for f in detect(text, "es") if f.reason.startswith("field:")]
