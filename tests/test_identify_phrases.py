"""Phrase rules (coder/identify/phrases.py): local names after head nouns, lowercase names and
places, Cyrillic initials, day ranges and abbreviated months. Texts written for these tests."""

from __future__ import annotations

import pytest

from coder.identify import detect, phrases


def covered(text: str, lang: str, span: str) -> bool:
    start = text.index(span)
    chars = set()
    for f in detect(text, lang):
        chars.update(range(f.start, f.end))
    return all(i in chars for i in range(start, start + len(span)) if text[i].isalnum())


CAUGHT = [
    # 1. businesses after a business noun
    ("sq", 'Ai punonte në lavazhin "Dielli" afër shtëpisë.', 'lavazhin "Dielli"'),
    ("bs", 'Radila je u butiku "Lijepa Moda" dvije godine.', 'butiku "Lijepa Moda"'),
    ("ro", "Lucrează la service auto „Rapid” de un an.", "service auto „Rapid”"),
    ("ru", "Он работает в автомойке «Чистый Блеск» на окраине.", "автомойке «Чистый Блеск»"),
    ("es", 'Trabaja en la panadería "El Trigal" del barrio.', 'panadería "El Trigal"'),
    ("en", 'She works at the bakery "Golden Crust" on weekends.', 'bakery "Golden Crust"'),
    # 2. local offices
    ("sq", "Shkuan në Komisariatin e Policisë nr. 3 të nesërmen.", "Komisariatin e Policisë nr. 3"),
    ("bs", "Prijavu je podnijela u Policijskoj postaji Mostar-Sjever prošle sedmice.", "Policijskoj postaji Mostar-Sjever"),
    ("es", "La denuncia la puso en la agencia del MP de Zapopan Centro, sin respuesta.", "agencia del MP de Zapopan Centro"),
    ("ru", "Управление социальной помощи Единецкого района назначило встречу.", "Управление социальной помощи Единецкого района"),
    ("es", "Le ayudó la psicóloga de la Corporación Nuevos Horizontes en Cali.", "Corporación Nuevos Horizontes"),
    # 3. streets
    ("bs", "Živi kod tetke, ul. Zelena 14, već mjesec dana.", "ul. Zelena 14"),
    ("ro", "S-a mutat pe str. Mare 7 la o prietenă.", "str. Mare 7"),
    ("ru", "Адрес – ул. Садовая, 21.", "ул. Садовая, 21"),
    ("sq", "E pa te ura e tabakeve me makinë.", "ura e tabakeve"),
    ("es", "vive donde una tia, cra 40 sur #5-12, con la mama", "cra 40 sur #5-12"),
    # 4. schools
    ("ru", "Учится в лицее № 7, 10 класс.", "лицее № 7"),
    ("ru", "Должность: психолог, гимназия № 3 г. Сороки", "гимназия № 3 г. Сороки"),
    ("sq", 'e ka lene gjimn. "Naim Frashëri" ne vitin e dyte', 'gjimn. "Naim Frashëri"'),
    ("es", "- 3er semestre en la prepa 7; antes en otra", "prepa 7"),
    # 5. lowercase names and places in hasty notes
    ("sq", "- foli nga fieri, tani jeton me motren\n- ish-i: ergi, e kercenoi\n- nuk ka frike", "fieri"),
    ("sq", "- foli nga fieri, tani jeton me motren\n- ish-i: ergi, e kercenoi\n- nuk ka frike", "ergi"),
    ("ru", "- парень: дима, 24 года\n- машина у димы стоит у школы\n- мама знает", "димы"),
    ("ru", "- сестра живёт с мужем, паша – нормальный\n- мама знает\n- ходит в школу", "паша"),
    # 6. Cyrillic initials
    ("ru", "Классная руководительница Л.В. сказала, что она сама виновата.", "Л.В."),
    # 7. dates
    ("en", "Field visit to the north, 4–5 May 2023, two conversations.", "4–5 May 2023"),
    ("ru", "Заявление подали 28 сент., номера дела пока нет.", "28 сент."),
    # 8. religious buildings
    ("ru", "Он ходит в храм Святого Георгия по воскресеньям.", "храм Святого Георгия"),
    ("bs", "Podršku je našla u župi sv. Ante Padovanskog.", "župi sv. Ante Padovanskog"),
    # 9. schools named by adjectives or a field, institutes and academies, abbreviations and villages
    ("ru", "Год проучилась в Оргеевском строительном техникуме и бросила.", "Оргеевском строительном техникуме"),
    ("ru", "Сейчас студентка Сорокского медицинского колледжа.", "Сорокского медицинского колледжа"),
    ("ru", "Потом перешла в Колледж экономики, там подруги.", "Колледж экономики"),
    ("ru", "Учится в СШ № 4 и ходит на танцы.", "СШ № 4"),
    ("ru", "Окончила гимназию с. Копчак Ноу в прошлом году.", "гимназию с. Копчак Ноу"),
    ("bs", "Išla je u Srednju medicinsku školu Tuzla dvije godine.", "Srednju medicinsku školu Tuzla"),
    ("en", "He teaches at the Romanian Academy of Fine Arts downtown.", "Romanian Academy of Fine Arts"),
    ("es", "Estudia en la Escuela Primaria Rural No. 58 del ejido.", "Escuela Primaria Rural No. 58"),
    ("es", 'Va a la Institución Educativa 1024 "Santa Rosa" por la tarde.', 'Institución Educativa 1024 "Santa Rosa"'),
    # 10. local organisations
    ("ru", "Подрабатывает в цветочном «Ромашка» по субботам.", "цветочном «Ромашка»"),
    ("bs", "Konobariše u caffe baru \"Oaza\" petkom.", "caffe baru \"Oaza\""),
    ("bs", "Prijavu su primili u PS Tuzla – Zapad tek sutradan.", "PS Tuzla – Zapad"),
    ("bs", "Dolazi u Caritasovo savjetovalište u Tuzli jednom sedmično.", "Caritasovo savjetovalište u Tuzli"),
    ("ru", "Направили в Отдел опеки мун. Кишинэу на беседу.", "Отдел опеки мун. Кишинэу"),
    ("es", "La apoya la Fundación Alas para Volar desde marzo.", "Fundación Alas para Volar"),
    ("en", "They meet at the Orthodox church in Gracanica on Sundays.", "Orthodox church in Gracanica"),
    # 11. lone initials and street adjectives with a number
    ("en", "Her classmate, J., saw the messages first.", "J."),
    ("es", "Me contó que su prima R. también recibió mensajes.", "R."),
    ("bs", "Stanuje kod bake u Titova 12 blizu škole.", "Titova 12"),
]


@pytest.mark.parametrize("lang,text,span", CAUGHT)
def test_phrase_rules_cover_local_names(lang, text, span):
    assert covered(text, lang, span), (span, [(f.text, f.reason) for f in detect(text, lang)])


DECOYS = [
    ("es", "En la calle me dijo que no volviera.", "calle"),
    ("en", "She called ALO 116 and nobody answered.", "called"),
    ("es", "Fue a la Fiscalía General y a la Policía Nacional.", "Fiscalía General"),
    ("es", "Le dieron el número de la Línea 100 en el CEM y de la Línea 141.", "CEM"),
    ("ro", "I-a spus colegilor ei. Ea a plecat.", "colegilor"),
    ("en", "The unit for this kind of case. She said no.", "unit for"),
    ("sq", "Policia e Shtetit nuk e ndoqi rastin.", "rastin"),
    ("ru", "На улице было холодно, она ушла домой.", "улице"),
    ("sq", "Ajo punon ne vitin e dyte, tani punon me turne.", "punon"),
    ("es", "La escuela 3 veces la llamó.", "escuela 3"),
    ("es", "Fue a la iglesia en Semana Santa con su mamá.", "Semana Santa"),
    ("en", "The meeting was at 10 a.m. and we left at noon.", "a.m."),
    ("en", "Options listed: A., B., C. and so on.", "B."),
    ("ro", "A sunat la Telefonul Copilului 116 111.", "Copilului"),
    ("ru", "В школе было 30 учеников, в профессиональном училище меньше.", "профессиональном"),
]


@pytest.mark.parametrize("lang,text,word", DECOYS)
def test_phrase_rules_leave_decoys(lang, text, word):
    start = text.index(word)
    hits = phrases.find(text, lang)
    assert not any(s <= start < e for s, e, *_ in hits), hits


def test_hits_have_the_patterns_shape():
    text = 'Trabaja en la tienda "Don Pepe".'
    for hit in phrases.find(text, "es"):
        start, end, kind, score, reason = hit
        assert 0 <= start < end <= len(text) and kind in ("ORG", "PLACE", "SCHOOL", "PERSON", "DATE")
        assert 0 < score <= 1 and reason.startswith("phrase:")
