#!/usr/bin/env python3
"""Throughput of identifier detection per language, beside its floor measured in the same run.

For each language: generate ≥ 5 MB of note-like text (templates filled with random names, places,
numbers and dates), run both once over it to warm their caches (spaCy's tokenizer caches every
chunk it has seen; detect caches word look-ups), then time the median of several passes of
  - `coder.identify.detect` note by note,
  - the bare `spacy.blank(lang).tokenizer` on the same notes (the floor: any spaCy pipeline pays it),
  - Presidio's AnalyzerEngine on a blank pipeline, when presidio-analyzer is installed.
Prints characters per second and the ratio to the tokenizer. Targets: ≥ 50 % of the tokenizer's
throughput and faster than Presidio.

Notes mix templated sentences carrying identifiers (40 %) with filler sentences drawn from the
language's everyday words by frequency (wordfreq; the hand list for Albanian).

usage: python benchmarks/bench_identify.py [--quick] [--lang es ...] [--megabytes 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coder.identify import detect  # noqa: E402

BLANK = {"es": "es", "en": "en", "sq": "sq", "ro": "ro", "bs": "hr", "ru": "ru"}

TEMPLATES = {
    "es": ["La participante ({age} años) vive con su tía {name} en el barrio {place}, cerca de {city}.",
           "Estudió en el Colegio {place} hasta décimo; dice que la vergüenza no la dejó hablar durante meses.",
           "La denuncia se puso el {day} de abril de {year} en la Fiscalía; nunca le dijeron en qué etapa está.",
           "Su número es {phone} y su correo {handle}@gmail.com. Pidió que no la llamen por la mañana.",
           "Recomendaciones: que la policía sepa a dónde remitir y que no la manden de oficina en oficina.",
           "Con la psicóloga {name} tuvo una buena experiencia: \"me dijo que no era mi culpa\"."],
    "en": ["The participant ({age}) lives with her aunt {name} near {place} in {city}.",
           "She studied at {place} High School and left after what happened; shame kept her silent.",
           "The report was made on {day} March {year} at the police station; nobody explained the next steps.",
           "Her number is {phone} and her handle @{handle}. She asked not to be called in the morning.",
           "Recommendations: train the police to listen, and keep one file so victims tell their story once.",
           "Her grandmother, {name}, raised her and is now her main support."],
    "sq": ["Pjesëmarrësja ({age} vjeçe) jeton me tezen {name} në lagjen {place}, afër {city}.",
           "Ajo shkoi në gjimnazin \"{place}\" dhe tha se turpi nuk e la të fliste për muaj të tërë.",
           "Kallëzimi u bë më {day} maj {year} në polici; askush nuk i shpjegoi çfarë do të ndodhte.",
           "Numri i saj është {phone} dhe emaili {handle}@gmail.com. Kërkoi të mos e telefonojnë në mëngjes.",
           "Rekomandimet e saj: trajnim për policinë dhe një dhomë e veçantë për të rinjtë.",
           "Psikologia {name} e ndihmoi shumë: \"më tha se nuk ishte faji im\"."],
    "ro": ["Participanta ({age} ani) locuiește cu mătușa {name} în cartierul {place}, lângă {city}.",
           "A învățat la Liceul Teoretic „{place}” și spune că rușinea nu a lăsat-o să vorbească luni de zile.",
           "Plângerea a fost depusă pe {day} mai {year} la poliție; nimeni nu i-a explicat ce urmează.",
           "Numărul ei este {phone}, iar e-mailul {handle}@mail.ru. A cerut să nu fie sunată dimineața.",
           "Recomandări: instruirea polițiștilor și o cameră separată pentru audierea tinerilor.",
           "Psihologa {name} a ajutat-o mult: „mi-a spus că nu a fost vina mea”."],
    "bs": ["Ispitanica ({age} g.) živi sa tetkom {name} u naselju {place}, blizu grada {city}.",
           "Išla je u srednju školu „{place}” i kaže da je stid nije pustio da govori mjesecima.",
           "Prijava je podnesena {day}. marta {year}. u policiji; niko joj nije objasnio šta slijedi.",
           "Njen broj je {phone}, a e-mail {handle}@gmail.com. Zamolila je da je ne zovu ujutro.",
           "Preporuke: obuka policije i posebna soba za razgovor sa mladima.",
           "Psihologica {name} joj je mnogo pomogla: „rekla mi je da nisam ja kriva”."],
    "ru": ["Участница ({age} лет) живёт с тётей {name} в районе {place}, недалеко от {city}.",
           "Она училась в лицее «{place}» и говорит, что стыд месяцами не давал ей говорить.",
           "Заявление подано {day} марта {year} года в полицию; никто не объяснил, что будет дальше.",
           "Её номер {phone}, почта {handle}@mail.ru. Просила не звонить утром.",
           "Рекомендации: обучение полиции и отдельная комната для разговора с молодёжью.",
           "Психолог {name} ей очень помогла: «сказала, что это не моя вина»."],
}
FILL = {
    "es": (["Rosario Quispe", "Ana Torres", "Luz Mery Ríos", "Camila Ortiz"], ["Villa Rica", "San Martín", "El Progreso"],
           ["Bogotá", "Lima", "Puebla"], ["311 555 0123", "+51 987 654 321", "55 4127 9083"]),
    "en": (["Jennifer Walsh", "Mary Brown", "Kate Lee"], ["Harbour Road", "Mill Lane", "Oak Park"],
           ["Kirkwall", "Leeds", "Cork"], ["055 1234 5678", "+44 7700 900123"]),
    "sq": (["Mimoza Hoxha", "Drita Kola", "Arta Meta"], ["Ali Demi", "Kombinat", "Laprakë"],
           ["Shkodër", "Tiranë", "Vlorë"], ["069 234 5678", "+355 68 123 4567"]),
    "ro": (["Mihaela Rusu", "Ana Popa", "Ioana Lungu"], ["Botanica", "Ciocana", "Mihai Viteazul"],
           ["Florești", "Bălți", "Cahul"], ["069 123 456", "+373 79 123 456"]),
    "bs": (["Lejla Hodžić", "Amra Mehić", "Selma Alić"], ["Ilidža", "Kovačići", "Ferhadija"],
           ["Zenice", "Tuzle", "Mostara"], ["061 234 567", "+387 62 345 678"]),
    "ru": (["Наталья Чебан", "Мария Иванова", "Ольга Руссу"], ["Ботаника", "Чеканы", "Рышкановка"],
           ["Бельц", "Кишинёва", "Комрата"], ["069 123 456", "+373 79 123 456"]),
}


def vocabulary(lang: str, size: int = 30_000) -> tuple[list[str], list[float]]:
    """Everyday words with their frequencies, so filler text has a natural (Zipfian) vocabulary and
    neither the tokenizer's cache nor ours sees unnaturally repeated text."""
    if lang == "sq":
        from coder.identify.gazetteer import _albanian_vocab

        # the hand list is small; declined forms give the filler a more natural spread of words
        stems = sorted(_albanian_vocab())
        words = [stem + suffix for stem in stems for suffix in ("", "i", "in", "it", "a", "ën", "ës", "ve", "t", "s")]
        return words, [1 / (rank // 10 + 10) for rank in range(len(words))]
    import wordfreq

    wf_lang = {"bs": "sh"}.get(lang, lang)
    words = [w for w in wordfreq.top_n_list(wf_lang, size) if w.isalpha()]
    return words, [wordfreq.word_frequency(w, wf_lang) for w in words]


def generate_notes(lang: str, megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names, places, cities, phones = FILL[lang]
    words, weights = vocabulary(lang)
    notes, size = [], 0
    while size < megabytes * 1_000_000:
        sentences = []
        for _ in range(rng.randint(12, 30)):
            if rng.random() < 0.6:
                filler = rng.choices(words, weights, k=rng.randint(8, 20))
                sentences.append(" ".join(filler).capitalize() + ".")
                continue
            template = rng.choice(TEMPLATES[lang])
            sentences.append(template.format(
                age=rng.randint(16, 25), name=rng.choice(names), place=rng.choice(places), city=rng.choice(cities),
                day=rng.randint(1, 28), year=rng.randint(2015, 2024), phone=rng.choice(phones),
                handle=f"user{rng.randint(10, 99)}.{rng.choice('abcxyz')}"))
        note = f"Notas – P{rng.randint(1, 40):02d}\n\n" + " ".join(sentences) + "\n"
        notes.append(note)
        size += len(note.encode("utf-8"))
    return notes


def timed(fn, notes: list[str]) -> float:
    start = time.perf_counter()
    for note in notes:
        fn(note)
    return time.perf_counter() - start


def median_times(fns: list, notes: list[str], repeats: int) -> list[float]:
    """Median seconds per pass for each function (warmed by the caller); passes interleave so both
    see the same machine load."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for k, fn in enumerate(fns):
            times[k].append(timed(fn, notes))
    return [statistics.median(t) for t in times]


def presidio_runner(lang: str):
    import os

    # Presidio's e-mail recognizer asks tldextract, which fetches the public suffix list from the
    # internet unless told otherwise: use the snapshot tldextract ships, never the network.
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    try:
        import tldextract.tldextract

        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError:
        return None
    import spacy

    class BlankEngine(SpacyNlpEngine):
        def __init__(self):
            super().__init__(models=[{"lang_code": lang, "model_name": "blank"}])
            self.nlp = {lang: spacy.blank(BLANK[lang])}

        def load(self):  # never download a model
            pass

    engine = AnalyzerEngine(nlp_engine=BlankEngine(), supported_languages=[lang])
    return lambda text: engine.analyze(text=text, language=lang)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="0.3 MB per language instead of 5 MB")
    parser.add_argument("--megabytes", type=float, default=None)
    parser.add_argument("--lang", nargs="*", default=list(TEMPLATES))
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per function (median)")
    args = parser.parse_args()
    megabytes = args.megabytes or (0.3 if args.quick else 5.0)

    import spacy

    ratios: dict[str, float] = {}
    print(f"{'lang':5} {'MB':>5} {'tokenizer c/s':>14} {'detect c/s':>12} {'ratio':>6} {'presidio c/s':>13} {'flags':>7}")
    for lang in args.lang:
        notes = generate_notes(lang, megabytes)
        chars = sum(len(n) for n in notes)
        megabytes_utf8 = sum(len(n.encode("utf-8")) for n in notes) / 1e6
        tokenizer = spacy.blank(BLANK[lang]).tokenizer
        # untimed warm-up passes: the tokenizer's cache, detect's word lists and look-up caches
        timed(tokenizer, notes)
        flags = sum(len(detect(note, lang)) for note in notes)

        def run_detect(text: str) -> None:
            detect(text, lang)

        t_tok, t_det = median_times([tokenizer, run_detect], notes, args.repeats)
        presidio = presidio_runner(lang)
        presidio_cps = "not installed"
        if presidio is not None:
            try:
                sample = notes[: max(1, len(notes) // 10)]
                t_pre = timed(presidio, sample)
                presidio_cps = f"{sum(len(n) for n in sample) / t_pre:,.0f}"
            except Exception as exc:  # noqa: BLE001 - report, do not fail the whole run
                presidio_cps = f"failed: {type(exc).__name__}"
        tok_cps, det_cps = chars / t_tok, chars / t_det
        ratios[lang] = det_cps / tok_cps
        print(f"{lang:5} {megabytes_utf8:5.1f} {tok_cps:14,.0f} {det_cps:12,.0f} {det_cps / tok_cps:6.2f} "
              f"{presidio_cps:>13} {flags:7}", flush=True)
    below = [lang for lang, ratio in ratios.items() if ratio < 0.5]
    print(f"target ≥ 0.50 of the tokenizer: {'met' if not below else 'not met for ' + ', '.join(below)} "
          f"(median of {args.repeats} warm passes)")


if __name__ == "__main__":
    main()
