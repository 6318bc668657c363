"""Rule-based detection of names, places, schools and organisations, plus the union with patterns
and (when installed) a trained spaCy pipeline.

Works on the raw text with compiled regular expressions and set look-ups, which is faster than
building spaCy Docs and needs no model. A word is a candidate when it is capitalised inside a
sentence and is not an everyday word of the language, when it is a known given name, surname or
place (stems tried for declined forms), or when it follows a cue word ("se llama", "calle",
"shkolla", "ulica"…). Neighbouring capitalised words are flagged together.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter

from coder.identify import gazetteer as gz
from coder.identify import patterns
from coder.identify.textfold import fold

WORD = re.compile(r"(?<![\w])[^\W\d_]+(?:['’\-][^\W\d_]+)*(?!\d)")
INITIALS = re.compile(r"(?=[A-ZÁÉÍÓÚÑÇËŠČĆŽĐȘȚĂÂÎ])(?<![\w.])(?:[A-ZÁÉÍÓÚÑÇËŠČĆŽĐȘȚĂÂÎ]\.\s?){1,3}(?![\w])")
QUOTES = "\"'“”„«»‘’‚"
JOIN_CHARS = " \u00a0-" + QUOTES  # what may stand between two words of one name
SKIP_BEFORE = set(" \t" + QUOTES + "([{-–—•*·>¿¡")
SENTENCE_END = set(".!?…:")
# A word can start a sentence only where the last character before it, skipping SKIP_BEFORE, is a
# line break, SENTENCE_END or ")" (or there is none): one scan finds these places for all words.
_SKIP_CLASS = "[" + "".join(re.escape(c) for c in sorted(SKIP_BEFORE)) + "]*"
AFTER_SENTENCE_END = re.compile(r"[\n.!?…:)]" + _SKIP_CLASS)
LEADING_SKIP = re.compile(_SKIP_CLASS)
FIELD = re.compile(r"(?m)^[ \t\-•*]*([^\W\d_][^\n:]{0,40}?)[ \t]*:[ \t]*([^\n]+)")
ADDRESS_TAIL = re.compile(r"(?:,?[ \t]*(?:n[º°o]\.?[ \t]*)?(?:\d{1,5}[A-Za-zºª°]{0,2}|s/n|S/N|sn)(?![\d/]))"
                          r"(?:[ \t]*[-,][ \t]*(?:\d{1,3}[ºª°]?[ \t]?[A-Za-zªº]{0,4}|[A-Z][a-z]{0,4}\.?)(?![\w/])){0,3}")
STREET_ABBREVIATION = re.compile(r"(?=[CAPJSBUR])(?<![\w/])(?:C/|Avda\.?|Av\.|Ctra\.?|Pza\.?|Pz\.?|Pº|Jr\.|Str\.|Bd\.|Bul\.|Ul\.|Rr\.)[ \t]*"
                                 r"(?:[A-ZÁÉÍÓÚÑŠČĆŽĐȘȚ0-9][\w.'’]*(?![/\w])(?:[ \t]+(?:de|del|la|las|los|e|i|y|[A-ZÁÉÍÓÚÑŠČĆŽĐȘȚ0-9][\w.'’]*(?![/\w])))*)")
LOWER = "a-zß-öø-ÿāăąćčďđēėęěğīįıķļľłńňőœŕřśşšţťūůűųźżžșțа-яё"
# between the words of an institution's name: spaces, quotes, a number, up to three everyday words
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪĮİĶĻĽŁŃŇŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽȘȚА-ЯЁЂ-Џ"
# a lookahead on the first letter before the look-behind lets the regex engine skip ahead quickly
CAP_WORD = re.compile(rf"(?=[{UPPER}])(?<![\w])[{UPPER}][^\W\d_]*(?:['’\-][^\W\d_]+)*(?![\w])")
WORD_RUN = re.compile(r"[\w'’\-]+")  # \w is exactly str.isalnum() plus "_"
# above this many chunks of a text with lowercase words worth a token, one pass over all runs is cheaper
MANY_CHUNKS = 60
LOWER_WORD = re.compile(rf"(?<![\w'’\-])[{LOWER}][^\W\d_]*(?:['’\-][{LOWER}][^\W\d_]*)*(?![\d\w])")
QUOTED_AFTER_CUE = re.compile(r"(?i)\b(\w++)[ \t]+[\"“«„‘'](\w[\w .'\-]{0,30}?)[\"”»“’']")
LEFT_GAP = re.compile(rf"[ \u00a0\"'“”„«»‘’]*(?:[{LOWER}]{{4,}}[ \u00a0]+)?")
INSTITUTION_GAP = re.compile(rf"[ \u00a0\"'“”„«»‘’\-]*(?:\.?[ \u00a0]*)?(?:(?:#|N[°º])?\s*\d{{1,5}}[ \u00a0]*)?"
                             rf"(?:[{LOWER}]+[ \u00a0]+){{0,3}}[\"'“”„«»‘’]*")
QUOTED_NAME = re.compile(r"[«\"“„]([^«»\"“”„\n]{2,40})[»\"”“]")
# the head noun a word or two before the quote: Shkolla 9-vjeçare "Naim Frashëri"
HEAD_BEFORE_QUOTE = re.compile(r"(?<!\w)([^\W\d_]+)(?:[ \u00a0]+[\w\-]+){2}[ \u00a0]*[«\"“„']?[ \u00a0]*\Z")
HEAD_ONE_BEFORE_QUOTE = re.compile(r"(?<!\w)([^\W\d_]+)[ \u00a0]+[\w\-]+[ \u00a0]*[«\"“„']?[ \u00a0]*\Z")
# adjective endings (Bosnian/Croatian/Serbian, Russian, Romanian, Albanian) for "frizerskom salonu",
# matched against folded words (no diacritics)
ADJECTIVE = re.compile(r"(?:sk|ck|zk|n|ov|ev|in)(?:i|a|o|e|u|og|om|oj|oga|ome|ima)$|"
                       r"(?:ого|его|ому|ему|ой|ей|ая|яя|ый|ий|ое|ее|ую|юю|ым|им|ых|их|[кнвтчжш](?:ом|ем))$|(?:esc|ească|ești|ală|ar|ară)$|"
                       r"(?:ore|ës|ërisë|rinor|rinore|ike|ik)$")
NEXT_LOWER_WORD = re.compile(rf"[ \u00a0]{{1,2}}([{LOWER}][^\W\d_]+)(?![\w@.]\w)")
# numbers after a word (matched where the word ends): a house number after a lowercase street cue
# ("calle 45 # 12-30"), a school's or office's number ("Secundaria Técnica 48", "nr. 4")
CUE_NUMBER = re.compile(r"[ \t]*(?:n[rº°o]\.?\s*)?(\d+[A-Za-z]?(?:\s*[#Nn°º]\s*\d+[A-Za-z]?(?:\s*-\s*\d+)?)?)")
LOWERCASE_CUE_NUMBER = re.compile(r"[ \t]*(?:n[rº°o]\.?\s*)?\d{1,5}\b")
INSTITUTION_NUMBER = re.compile(r"[ \u00a0]*(?:n[rº°o]\.?|#|N[°º]|№)?\s*\d{1,5}\b")
INSTITUTION_SIGN_NUMBER = re.compile(r"[ \u00a0]*(?:n[rº°o]\.?|#|N[°º]|№)\s*\d{1,5}\b")
RUN_NUMBER = re.compile(r"(?:\s+(?:n[rº°o]\.?|#|№)?\s*\d{1,4}\b)")
LAST_NUMBER = re.compile(r"\d+(?!.*\d)")
SPACE_LOWER = re.compile(rf"[ \u00a0]+[{LOWER}]")
# verbs and nouns that introduce a name: the next word is one even when typed in lowercase
NAMING_CUES = """named called nicknamed llama llamaba llamado llamada llamaban llaman apodo apodado apodada alias
    quhet quhej quanin emrin numește numea cheamă chema porecla nume zove zvao zvala zvali nadimak зовут звали
    прозвище кличка""".split()
# Bosnian/Croatian/Serbian past participles ("povjerila", "čekala", "rekao"): verbs, not names
L_PARTICIPLE = re.compile(r"(?:ila|ala|ela|ula|ili|ali|eli|ilo|alo|jela|jeli|nuo|nula|nuli|ao|io|eo|ijela)$")
# a word capitalised inside one sentence marks the same word elsewhere only when it is rare
WEAK_PROPAGATION_ZIPF = 4.0
BRANCH_OF = re.compile(rf"[ \u00a0]+(?:branch|office|chapter|section|unit|poslovnic[aeiu]|filijal[aeiu]|ekspozitur[aeiu]|"
                       rf"sucursal|sucursales|filial|oficina|agencia|sucursala|sucursalei|filiala|filialei|agenția|agentia|"
                       rf"dega|degën|degës|zyra|zyrën|zyrës|филиал|филиале|отделение|отделении)"
                       rf"[ \u00a0]+(?:in|of|at|u|en|de|del|din|în|në|ne|в|на)[ \u00a0]+[{UPPER}][^\W\d_]+")
# a code with a hyphen after a name or acronym: "Coordinación Territorial IZP-8", "Sector 3-B"
CODE_AFTER = re.compile(r"-[A-Z0-9]{0,4}\d[A-Z0-9]{0,4}(?![\w\-])")
# Mexican and Peruvian school acronyms before a number or a name: "CETIS 45", "CONALEP Tlalnepantla"
SCHOOL_ACRONYM = re.compile(r"(?=[CEIP])(?<![\w.])(?:CEM|CEBA|CEBE|CETPRO|IEP|CETIS|CBTIS|CBTA|CECyT|CECYT|CECYTE|CONALEP|"
                            r"COBACH|COBAEM|EPO)(?![\w])"
                            r"(?:[ \u00a0]*(?:N[°º.]?|No\.?|#)?[ \u00a0]*\d{1,4}(?![\d/]))?"
                            r"(?:[ \u00a0]+[A-ZÁÉÍÓÚÑ][\wáéíóúñ.]*(?:[ \u00a0]+(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ.]*|de|del|la|los|las|y)){0,4})?")
# a police unit: "Sectorul de poliție nr. 3 Ungheni", "Secția de poliție Centru"
POLICE_UNIT = re.compile(rf"(?i:sectorul|secția|secţia|sectia|postul|comisariatul|inspectoratul|sector|secției|sectorului)"
                         rf"[ \u00a0]+(?:de[ \u00a0]+)?(?i:poliție|poliţie|politie|poliția|politia)"
                         rf"(?:[ \u00a0]*(?:nr\.?|№|#)[ \u00a0]*\d{{1,4}})?(?:[ \u00a0]+(?:din[ \u00a0]+)?[{UPPER}][^\W\d_]+){{0,3}}")
# a lowercase noun after a capitalised adjective names the place with it: "Bijele džamije",
# "kafić Zlatna ribica" (Bosnian/Croatian/Serbian, Russian, Romanian adjective endings)
ADJECTIVE_NAME_NOUN = re.compile(rf"[ \u00a0]+([{LOWER}][^\W\d_]{{2,}})(?![\w])")
# a street with a number and a cardinal direction, in lowercase: "calle 5 Oeste", "carrera 7 sur"
STREET_DIRECTION = re.compile(r"(?<![\w.])(?i:calle|carrera|cra\.?|avenida|av\.|diagonal|transversal|cl\.?)[ \u00a0]*\d{1,3}[ \u00a0]?[A-Za-z]?"
                              r"(?:[ \u00a0]+(?:bis|BIS))?[ \u00a0]+(?i:sur|norte|este|oeste|poniente|oriente)(?![\w])")
# Colombian grid addresses ("Carrera 7 # 45-12", "Cra. 7 #45-12", "Cl 18 Sur", "Diagonal 45") and
# Peruvian blocks and lots ("Mz. B Lt. 7"): a capitalised street word and its number are enough
GRID_ADDRESS = re.compile(
    r"(?=[CKDTAM])(?<![\w.])(?:Carrera|Cra\.?|Kra\.?|Kr\.?|Calle|Cll?\.?|Diagonal|Dg\.?|Diag\.?|Transversal|Tv\.?|Transv\.?|"
    r"Avenida|Av\.?|Ak\.?|Ac\.?|Circular|Manzana|Mz\.?|Mza\.?)"
    r"[ \u00a0]*\d{1,3}[ \u00a0]?[A-Z]?(?![\w/])(?:[ \u00a0]+(?:[Bb]is|BIS))?(?:[ \u00a0]+(?:Sur|Norte|Este|Oeste|sur|norte|este))?"
    r"(?:[ \u00a0]*(?:#|[Nn][oº°]\.?)[ \u00a0]*\d{1,3}[ \u00a0]?[A-Za-z]?(?:[ \u00a0]*-[ \u00a0]*\d{1,3})?)?"
    r"(?:[ \u00a0]+(?:Sur|Norte|Este|Oeste))?")
BLOCK_LOT = re.compile(r"(?=M)(?<![\w.])(?:Mz|Mza|Manzana)\.?[ \u00a0]*[A-Z0-9]{1,3}[ \u00a0]*,?[ \u00a0]*(?:Lt|Lote)\.?[ \u00a0]*\d{1,3}[A-Z]?(?!\w)")
PERU_SCHOOL = re.compile(r"(?=I)(?<!\w)(?:I\.\s?E\.(?:\s?P\.)?|IEP?)\s*(?:N[°º.]?\s*)?\d{0,6}"
                         r"(?:\s+(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+|de|del|la|los|las|y)){0,6}")
# a lowercase word is a name only if it is rare as a word; names from the language's own curated
# list (ambiguous ones excluded) are trusted further ("juan")
LOWERCASE_NAME_ZIPF = 3.5
OWN_LOWERCASE_NAME_ZIPF = 5.5
# a given name that is also a rare word of the language ("mirza" in English) is a name below this,
# and right after a kin word or "named" / "se llama" below the second figure
LOWERCASE_COMMON_NAME_ZIPF = 3.0
CUED_LOWERCASE_NAME_ZIPF = 4.0
TYPE_PRIORITY = {"CONTACT": 7, "ID": 6, "DATE": 5, "SCHOOL": 4, "ORG": 3, "PLACE": 2, "PERSON": 1}

# Suffixes of declined names and places, longest first; the stem is tried bare and with a
# nominative ending added back ("Dritës" → "Drit" → "Drita", "Mariei" → "Maria", "Tuzli" → "Tuzla").
SUFFIXES = {
    "sq": ("ësë", "it", "in", "ës", "ën", "ës", "në", "së", "ut", "un", "ja", "ve", "i", "a", "u", "s", "n", "t", "e"),
    "ro": ("ului", "ei", "ăi", "ii", "ul", "a", "i", "ei"),
    "sh": ("om", "em", "oj", "ama", "ima", "a", "e", "i", "u", "in", "ina"),
    "ru": ("ой", "ей", "ом", "ем", "ую", "ою", "а", "я", "у", "ю", "е", "и", "ы"),
    "es": ("'s", "’s"),
    "en": ("'s", "’s", "s"),
}
ENDINGS = {"sq": ("", "ë", "a", "e"), "ro": ("", "a"), "sh": ("", "a", "o", "e"), "ru": ("", "а", "я", "й", "ь"),
           "es": ("",), "en": ("",)}


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    type: str
    text: str
    score: float
    reason: str


def _token_start(token: "Token") -> int:
    return token.start


@dataclass(slots=True)
class Token:
    start: int
    end: int
    word: str
    folded: str
    cap: bool
    upper: bool
    initial: bool  # starts a sentence


class Rules:
    """The per-language rule set; built once per language (see `rules_for`)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.name_lang = gz.vocab.NAME_LANG[lang]
        self.common = gz.common_words(lang)
        self.all_names = gz.all_names()
        self.own_names = gz.own_names(lang)
        self.given = gz.given_names()
        self.institution_words = gz.institution_words()
        self.naming_cues = frozenset(fold(w) for w in NAMING_CUES)
        self.ambiguous = gz.ambiguous(lang)
        self.curated = gz.curated_places()
        self.geo = gz.geo_places()
        self.phrases, self.phrase_first = gz.place_phrases()
        # month names of this language and English (not every language's abbreviations: "Ene")
        self.decoys = gz.decoy_words() | gz.months(lang) | gz.months("en")
        self.decoy_phrases = gz.decoy_phrases()
        self.person_cues = gz.cue_set("PERSON_CUES")
        # lowercase words worth a token: cue words, and names or places that are no everyday word
        # (connectors such as "de", "e", "din" are read from the text between two words instead)
        self.lower_keep = (self.person_cues | gz.cue_set("PLACE_CUES") | gz.cue_set("SCHOOL_CUES") | gz.cue_set("ORG_CUES")
                           | gz.cue_set("ABBREVIATIONS") | (self.curated - self.common)
                           | {w for w in self.all_names - self.ambiguous if gz.zipf(w, lang) < 4.5})
        self.field_labels = {fold(w): kind for kind, words in gz.vocab.FIELD_LABELS.items() for w in words.split()}
        self.place_cues = gz.cue_set("PLACE_CUES")
        self.school_cues = gz.cue_set("SCHOOL_CUES")
        self.org_cues = gz.cue_set("ORG_CUES")
        self.connectors = gz.cue_set("CONNECTORS")
        self.school_heads = gz.cue_set("SCHOOL_HEADS")
        self.heads = gz.cue_set("ORG_HEADS") | self.school_heads
        self.head_connectors = gz.cue_set("HEAD_CONNECTORS")
        self.connector_gap = re.compile(
            r"[ \u00a0]+(?:(?:" + "|".join(sorted(map(re.escape, self.connectors), key=len, reverse=True))
            + r")[ \u00a0]+){1,2}")
        self.abbreviations = gz.cue_set("ABBREVIATIONS")
        # every word some step of the scan acts on as a cue (kin and role words, naming verbs, place,
        # school and organisation cues)
        self.cue_words = self.person_cues | self.naming_cues | self.place_cues | self.school_cues | self.org_cues
        # hot look-ups bound as plain dict/set methods (no Python frame per call); a school cue
        # wins over an organisation cue over a place cue, as in the order of the checks before
        cue_types = {w: "PLACE" for w in self.place_cues} | {w: "ORG" for w in self.org_cues} \
            | {w: "SCHOOL" for w in self.school_cues}
        self.cue_type = cue_types.get
        self.is_common = self.common.__contains__
        self.is_ambiguous = self.ambiguous.__contains__
        self.non_person_initials = gz.cue_set("NON_PERSON_INITIALS")
        # folded like the words they are stripped from ("Vjollcës" → "vjollces" → "vjollc" + "a")
        self.suffixes = tuple(sorted(dict.fromkeys(fold(x) for x in SUFFIXES.get(self.name_lang, ())), key=len, reverse=True))
        self.endings = tuple(dict.fromkeys(fold(x) for x in ENDINGS.get(self.name_lang, ("",))))
        self._stem_cache: dict[str, tuple[str, str] | None] = {}
        self._decoy_cache: dict[str, bool] = {}
        self._decoy_phrase_cache: dict[str, bool] = {}
        # per distinct word: its folded form when a lowercase word is worth a token, else None
        self._lower_wanted: dict[str, str | None] = {}
        # whitespace-delimited chunks of text holding no lowercase word worth a token ("casa,")
        self._plain_chunks: set[str] = set()
        # and the (word, folded form) pairs of those that hold some ("tía,")
        self._chunk_words: dict[str, tuple[tuple[str, str], ...]] = {}
        self._seed_cache: dict[tuple[str, bool], tuple[str, float, str] | None] = {}
        # capitalised inside sentences by convention, not because they name someone
        self.never_alone = frozenset(fold(w) for w in (
            "i dios god allah jesús cristo virgen señor mr mrs ms dr dra lic ing internet web online ok "
            "covid pandemia pandemic zoom usted ud vd you bog boga bogu bogom dumnezeu dumnezeul domnul zot "
            "zoti zotit zotin allahu").split())

    # --- look-ups ---------------------------------------------------------------------------

    def lookup(self, folded: str) -> tuple[str, str] | None:
        """("name"|"place", matched form) for a word or its declined form, else None."""
        cached = self._stem_cache.get(folded, 0)
        if cached != 0:
            return cached  # type: ignore[return-value]
        found = None
        if folded in self.all_names:
            found = ("name", folded)
        elif folded in self.curated or folded in self.geo:
            found = ("place", folded)
        elif len(folded) >= 4:
            for suffix in self.suffixes:
                if not folded.endswith(suffix) or len(folded) - len(suffix) < 3:
                    continue
                stem = folded[: len(folded) - len(suffix)]
                candidates = [stem + e for e in self.endings]
                if self.name_lang == "sh" and len(stem) >= 3 and stem[-1] not in "aeiou" and stem[-2] not in "aeiou":
                    candidates.append(stem[:-1] + "a" + stem[-1])  # fleeting a: Lukavcu → Lukavac
                for cand in candidates:
                    if cand in self.all_names:
                        found = ("name", cand)
                        break
                    if cand in self.curated or cand in self.geo:
                        found = ("place", cand)
                        break
                if found:
                    break
        self._stem_cache[folded] = found
        return found

    def is_decoy(self, folded: str) -> bool:
        """A decoy or a declined decoy ("Instagramu", "Tužilaštvom", "CRCA-së")."""
        cached = self._decoy_cache.get(folded)
        if cached is not None:
            return cached
        result = folded in self.decoys
        if not result and "-" in folded:
            result = folded.split("-", 1)[0] in self.decoys
        if not result and len(folded) >= 5 and folded not in self.all_names:
            # a declined decoy, unless the word is a name as written ("Martin" is no form of "mart")
            for suffix in self.suffixes + ("om", "u", "a", "ul", "ului", "ом", "е"):
                if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
                    stem = folded[: len(folded) - len(suffix)]
                    if any(stem + e in self.decoys for e in self.endings + ("a", "o")):
                        result = True
                        break
        self._decoy_cache[folded] = result
        return result

    def _is_decoy_phrase(self, span: str) -> bool:
        """Is this flagged text, spaces normalised and folded, a decoy phrase? Kept per text."""
        cache = self._decoy_phrase_cache
        result = cache.get(span)
        if result is None:
            result = fold(" ".join(span.split())) in self.decoy_phrases
            if len(cache) < 100_000:
                cache[span] = result
        return result

    def _decoy_not_name(self, folded: str) -> bool:
        """A decoy as written, or a declined one that is no name ("Facebooku", not "Martin")."""
        return folded in self.decoys or (self.is_decoy(folded) and self.lookup(folded) is None)

    # --- the scan ---------------------------------------------------------------------------

    def tokens(self, text: str) -> list[Token]:
        """The words the rules look at: capitalised words, cue words, connectors, names, and rare
        words. Everyday lowercase words (most of any text) are skipped without a Python step each:
        the whitespace-delimited chunks of the text are compared, as a set, with those known to hold
        none, and only the few wanted words are located. Rules that need adjacency check the text
        between two tokens, so a skipped word separates them."""
        out: list[Token] = []
        append, starts_sentence = out.append, self._starts_sentence
        may_start_sentence = {m.end() for m in AFTER_SENTENCE_END.finditer(text)}
        may_start_sentence.add(LEADING_SKIP.match(text).end())
        for m in CAP_WORD.finditer(text):
            word = m.group()
            start, end = m.span()
            if "-" in word and any(part[:1].isupper() for part in word.split("-")[1:]):
                # "Tomowa-Sintow", "Covid-Omicron": each capitalised part is a word of its own
                for part in word.split("-"):
                    if part:
                        self._add_token(out, text, start, part, start in may_start_sentence)
                    start += len(part) + 1
            else:
                # a capitalised word's first letter is upper case (every letter of UPPER is)
                append(Token(start, end, word, fold(word), True, len(word) > 1 and word.isupper(),
                             start in may_start_sentence and starts_sentence(text, start)))
        # A lowercase token is a maximal run of word characters, apostrophes and hyphens that is a
        # lowercase word worth a token. Such a run lies inside one whitespace-delimited chunk, and
        # most chunks are known to hold none ("casa,"): only the others are looked at (split into
        # runs once, then remembered), and the wanted words among their runs are searched for.
        plain, chunk_words = self._plain_chunks, self._chunk_words
        chunks = set(text.split()) - plain
        wanted_words: dict[str, str] = {}
        many = len(chunks) > MANY_CHUNKS
        for chunk in chunks:
            words = chunk_words.get(chunk)
            if words is None:
                words = self._chunk_lower_tokens(chunk)
                if not words:
                    continue
            if not many:
                wanted_words.update(words)
        if many:
            # many chunks with wanted words ("ndodhte", "shpjegoi"… in Albanian, whose list of
            # everyday words is short): one pass over all the runs is cheaper than a search per word
            wanted = self._lower_wanted
            for m in WORD_RUN.finditer(text):
                word = m.group()
                f = wanted.get(word, 0)
                if f == 0:
                    f = self._lower_token_form(word)
                if f is not None:
                    start, end = m.span()
                    append(Token(start, end, word, f, False, False, False))
            out.sort(key=attrgetter("start"))
        elif wanted_words:
            size = len(text)
            for word, f in wanted_words.items():
                start = text.find(word)
                while start >= 0:
                    end = start + len(word)
                    # a whole run: no word character, apostrophe or hyphen on either side
                    if (start == 0 or not _is_run_char(text[start - 1])) and (end == size or not _is_run_char(text[end])):
                        append(Token(start, end, word, f, False, False, False))
                    start = text.find(word, start + 1)
            out.sort(key=attrgetter("start"))
        return out

    def _chunk_lower_tokens(self, chunk: str) -> tuple[tuple[str, str], ...]:
        """The (word, folded form) of the lowercase words worth a token in a chunk of text, kept
        per chunk (a chunk with none is remembered as plain)."""
        words = tuple((word, f) for word in WORD_RUN.findall(chunk) if (f := self._lower_token_form(word)) is not None)
        if not words:
            if len(self._plain_chunks) < 500_000:
                self._plain_chunks.add(chunk)
        elif len(self._chunk_words) < 100_000:
            self._chunk_words[chunk] = words
        return words

    def _lower_token_form(self, word: str) -> str | None:
        """The folded form of a run of word characters when it is a lowercase word worth a token."""
        wanted = self._lower_wanted
        f = wanted.get(word, 0)
        if f == 0:
            f = None
            if LOWER_WORD.fullmatch(word):
                f = fold(word)
                if f not in self.lower_keep and f in self.common:
                    f = None
            if len(wanted) < 500_000:
                wanted[word] = f
        return f

    def _add_token(self, out: list, text: str, start: int, word: str, may_start_sentence: bool = True) -> None:
        cap = word[0].isupper()
        out.append(Token(start, start + len(word), word, fold(word), cap, cap and len(word) > 1 and word.isupper(),
                         cap and may_start_sentence and self._starts_sentence(text, start)))

    def _starts_sentence(self, text: str, pos: int) -> bool:
        j = pos - 1
        while j >= 0 and text[j] in SKIP_BEFORE:
            j -= 1
        if j < 0 or text[j] == "\n":
            return True
        ch = text[j]
        if ch != ")" and ch not in SENTENCE_END:
            return False  # the common case, decided before slicing out the line
        line_start = text.rfind("\n", 0, j) + 1
        if ch == ")":
            line_before = text[line_start:j + 1]
            if re.fullmatch(r"\s*\(?(?:\d{1,2}|[a-zA-Z])\)", line_before[-5:].lstrip() if len(line_before) > 5 else line_before):
                return True  # "(1) Capacitación…", "a) Que…"
            return re.search(r"(?:^|\s)\(?(?:\d{1,2}|[a-z])\)$", line_before) is not None
        if ch == ".":
            # a list label at the start of a line: "1.", "P1.", "a." (the line before the ".",
            # stripped, is at most four characters and one word); found without slicing the line
            label_end = j
            while label_end > line_start and text[label_end - 1].isspace():
                label_end -= 1
            label_start = line_start
            while label_start < label_end and text[label_start].isspace():
                label_start += 1
            if 0 < label_end - label_start <= 4 and " " not in text[label_start:label_end]:
                return True
            k = j - 1
            while k >= 0 and text[k].isalpha():
                k -= 1
            before = text[k + 1:j]
            if len(before) == 1 and before.isupper():
                return False  # an initial: "J. Pérez"
            if fold(before) in self.abbreviations:
                return False
            if k >= 0 and text[k].isdigit() and not before:
                d = k
                while d >= 0 and text[d].isdigit():
                    d -= 1
                # in Bosnian/Croatian/Serbian an ordinal inside a line ("3. marta") ends no sentence
                return not (self.name_lang == "sh" and k - d <= 2 and d >= 0 and text[d] in " \t")
        return True

    def seed(self, tok: Token) -> tuple[str, float, str] | None:
        """Is this word on its own evidence part of an identifier? (type, score, reason)"""
        # a pure function of the word and whether it starts a sentence: cached
        key = (tok.word, tok.initial)
        cache = self._seed_cache
        if key in cache:
            return cache[key]
        result = self._seed(tok)
        if len(cache) < 500_000:
            cache[key] = result
        return result

    def _seed(self, tok: Token) -> tuple[str, float, str] | None:
        f = tok.folded
        if self.is_decoy(f):
            return None
        if "-" in tok.word and tok.word.split("-", 1)[0].isupper():
            return None  # an acronym with a case ending: "IDNP-ul", "MUP-om"
        hit = self.lookup(f)
        common = self.is_common(f)
        if not tok.cap:
            if len(f) < 3 or (common and not (f in self.given and gz.zipf(f, self.lang) < LOWERCASE_COMMON_NAME_ZIPF
                                              and not self.is_ambiguous(f))):
                return None
            # lowercase: only the exact form of a name that is no everyday word ("beni", not "pashë")
            if hit and hit[0] == "name" and hit[1] == f and not self.is_ambiguous(f) \
                    and gz.zipf(f, self.lang) < (OWN_LOWERCASE_NAME_ZIPF if f in self.own_names else LOWERCASE_NAME_ZIPF):
                return "PERSON", 0.55, "gazetteer:name-lowercase"
            if hit and hit[0] == "place" and hit[1] in self.curated and len(f) >= 4 and hit[1] not in self.common:
                return "PLACE", 0.45, "gazetteer:place-lowercase"
            return None
        if tok.upper and len(f) <= 6 and not (hit and (hit[0] == "name" or hit[1] in self.curated)):
            return None  # acronyms: only inside a run
        if not tok.initial:
            if hit:
                kind = "PERSON" if hit[0] == "name" else "PLACE"
                return kind, 0.85, f"gazetteer:{hit[0]}"
            if not common:
                return "PERSON", 0.6, "capitalised:not-a-common-word"
            if len(f) >= 2 and not tok.upper and f not in self.never_alone and gz.zipf(f, self.lang) < 5.0 \
                    and f not in self.institution_words:
                # our languages but English write everyday nouns in lowercase: a capital inside a
                # sentence marks a name even when the word also means something ("Luz", "Crkvica")
                return "PERSON", 0.4, "capitalised:inside-sentence"
            return None
        # sentence-initial: capitalisation says nothing
        if hit:
            base = hit[1]
            if hit[0] == "name":
                if self.is_ambiguous(base) and base == tok.folded and gz.zipf(base, self.lang) < 4.7:
                    # "Consuelo", "Soledad", "Shpresa" starting a sentence: more often the name
                    return "PERSON", 0.3, "gazetteer:ambiguous-name-sentence-start"
                if self.is_ambiguous(base) or (base not in self.own_names and gz.zipf(base, self.lang) >= 4.0):
                    if base == f and base in self.given and not self.is_ambiguous(base) \
                            and self.name_lang != "sq" and gz.zipf(base, self.lang) < 4.5:
                        # a given name starting a sentence, also a word elsewhere: recall first
                        return "PERSON", 0.3, "gazetteer:given-name-sentence-start"
                    return None
                return "PERSON", 0.7, "gazetteer:name"
            if common and base != f:
                return None  # an everyday word that only looks like a declined place ("Punon", "Puno")
            if base in self.curated and not self.is_ambiguous(base):
                return "PLACE", 0.7, "gazetteer:place"
            if self.name_lang != "sq" and gz.zipf(base, self.lang) < gz.RARE_PLACE_ZIPF and not common:
                return "PLACE", 0.5, "gazetteer:place"
            return None
        if not common and self.name_lang != "sq" and len(f) >= 3:
            if self.name_lang == "sh" and len(f) >= 6 and L_PARTICIPLE.search(f):
                return None  # a verb starting the sentence: "Povjerila je…", "Čekala je…"
            return "PERSON", 0.35, "capitalised:sentence-start-rare-word"
        return None

    def scan(self, text: str) -> list[patterns.Hit]:
        toks = self.tokens(text)
        hits: list[patterns.Hit] = []
        n = len(toks)
        seed_cache, missing = self._seed_cache, object()
        seeds = [seed if (seed := seed_cache.get((t.word, t.initial), missing)) is not missing else self.seed(t)
                 for t in toks]

        connector_gap = self.connector_gap

        def linked(i: int, j: int) -> bool:
            """Adjacent (only spaces, quotes or a hyphen between), or joined by connectors:
            "Comisaría de Familia de Usme", "Rruga e Kavajës"."""
            gap_start, gap_end = toks[i].end, toks[j].start
            if gap_end - gap_start <= 3 and not text[gap_start:gap_end].strip(JOIN_CHARS):
                return True
            # the connector gap starts with a space
            return gap_end > gap_start and text[gap_start] in " \u00a0" \
                and connector_gap.fullmatch(text, gap_start, gap_end) is not None

        # 1. multi-word places from the gazetteer ("San Juan de Lurigancho", "Cerro Colorado")
        i = 0
        while i < n:
            t = toks[i]
            longest = self.phrase_first.get(t.folded, 0) if t.cap else 0
            if longest:
                # a phrase spans tokens linked one to the next: no longer than those from here
                reach, limit = 1, min(longest, n - i)
                while reach < limit and linked(i + reach - 1, i + reach):
                    reach += 1
                matched = 0
                for length in range(reach, 1, -1):
                    if not toks[i + length - 1].cap:
                        continue
                    key = fold(" ".join(text[t.start:toks[i + length - 1].end].split()))
                    if key in self.phrases and key not in self.decoy_phrases:
                        hits.append((t.start, toks[i + length - 1].end, "PLACE", 0.8, "gazetteer:place-phrase"))
                        matched = length
                        break
                if matched:
                    i += matched
                    continue
            i += 1

        # 2. runs of capitalised words (with connectors and numbers inside)
        i = 0
        while i < n:
            t = toks[i]
            if not t.cap:
                i += 1
                continue
            j = i
            while j + 1 < n:
                nxt = toks[j + 1]
                if nxt.cap and linked(j, j + 1):
                    j += 1
                    continue
                # a connector that is a token of its own (also a name or a cue word)
                if nxt.folded in self.connectors and j + 2 < n and toks[j + 2].cap and linked(j, j + 2):
                    j += 2
                    continue
                break
            if i == j and t.initial and not seeds[i] and not self.cue_type(t.folded):
                i += 1  # an everyday word starting a sentence, alone: _judge_run drops it
                continue
            self._judge_run(text, toks, seeds, i, j, hits)
            i = j + 1

        # the tokens the steps below act on: cue words and lowercase seeds (most tokens are neither)
        cue_words = self.cue_words
        acting = [k for k, t in enumerate(toks) if t.folded in cue_words or (seeds[k] and not t.cap)]

        # 3. lowercase seeds and cue words followed by a name
        for k in acting:
            t = toks[k]
            s = seeds[k]
            if not t.cap and s:
                hits.append((t.start, t.end, s[0], s[1], s[2]))
            if t.folded in self.person_cues and k + 1 < n:
                nxt = toks[k + 1]
                gap = text[t.end:nxt.start]
                if len(gap) <= 3 and "\n" not in gap and nxt.folded not in self.decoys:
                    hit = self.lookup(nxt.folded)
                    if nxt.cap and not nxt.initial and (not self.is_common(nxt.folded) or hit):
                        hits.append((nxt.start, nxt.end, "PERSON", 0.8, f"cue:{t.folded}"))
                    elif nxt.cap and any(q in gap for q in QUOTES):
                        hits.append((nxt.start, nxt.end, "PERSON", 0.8, f"cue:{t.folded}"))
                    elif nxt.cap and hit and hit[0] == "name":
                        hits.append((nxt.start, nxt.end, "PERSON", 0.8, f"cue:{t.folded}"))
                    elif not nxt.cap and hit and hit[0] == "name" and (not self.is_common(nxt.folded) or (
                            nxt.folded in self.given and not self.is_ambiguous(nxt.folded)
                            and gz.zipf(nxt.folded, self.lang) < CUED_LOWERCASE_NAME_ZIPF)):
                        hits.append((nxt.start, nxt.end, "PERSON", 0.6, f"cue:{t.folded}"))
            if t.folded in self.naming_cues:
                named = NEXT_LOWER_WORD.match(text, t.end)
                if named:
                    f = fold(named.group(1))
                    if len(f) >= 3 and gz.zipf(f, self.lang) < CUED_LOWERCASE_NAME_ZIPF and not self.is_decoy(f) \
                            and f not in self.person_cues and f not in self.connectors:
                        hits.append((named.start(1), named.end(1), "PERSON", 0.55, f"cue:{t.folded}-lowercase"))
            cue = self.cue_type(t.folded)
            if cue and k + 1 < n and not t.cap:
                # lowercase cue then a number: "calle 5", "ulica 12" is not enough; "calle 45 # 12-30" is
                m = CUE_NUMBER.match(text, t.end) if cue == "PLACE" else None
                if m and re.search(r"[#\-]", m.group(1)):
                    hits.append((t.start, m.end(), "PLACE", 0.7, f"cue:{t.folded}-address"))

        # 4a. form fields: "Nombre: Marc.", "Domicilio: Av. Litoral, 30, 1C"
        for m in FIELD.finditer(text):
            label_words = [fold(w) for w in WORD.findall(m.group(1))]
            if not label_words or len(label_words) > 4:
                continue
            # "Nombre de la madre", "Primer apellido"; but "Nota de la facilitadora" is a note
            kind = self.field_labels.get(label_words[0]) or (
                self.field_labels.get(label_words[-1]) if len(label_words) <= 2 else None)
            value = m.group(2).rstrip(" .;,")
            if kind and value and (any(c.isupper() for c in value) or any(c.isdigit() for c in value)) \
                    and len(value) <= 80:
                words = [fold(w) for w in WORD.findall(value)]
                if words and all(w in self.common and not self.lookup(w) for w in words) and not any(c.isdigit() for c in value):
                    continue  # "Nombre: Sin datos"
                hits.append((m.start(2), m.start(2) + len(value), kind, 0.7, f"field:{fold(m.group(1))}"))
        # 4b. addresses: "Calle Joaquim Folguera, 3 - 5º 2ª", "C/ Sauceda 3. 1A", "Av. Litoral, 30"
        has_part = ANY_ACRONYM_PART.search(text) is not None
        if has_part and any(part in text for part in STREET_ABBREVIATION_PARTS):
            for m in STREET_ABBREVIATION.finditer(text):
                end = m.end()
                tail = ADDRESS_TAIL.match(text, end)
                if tail:
                    end = tail.end()
                if end - m.start() > 4:
                    hits.append((m.start(), end, "PLACE", 0.75, "cue:street"))
        house_number_word_ends = _house_number_word_ends(text, patterns._digit_runs(text))
        for m in patterns._matches_at(GRID_ADDRESS, text, _street_word_starts(GRID_WORD_BEFORE, GRID_WORD_LAST, text, house_number_word_ends)):
            hits.append((m.start(), m.end(), "PLACE", 0.7, "cue:address-number"))
        if has_part and any(part in text for part in BLOCK_LOT_PARTS):
            for m in BLOCK_LOT.finditer(text):
                hits.append((m.start(), m.end(), "PLACE", 0.7, "cue:address-number"))
        for k in acting:
            t = toks[k]
            if t.cap and t.folded in self.place_cues and len(t.folded) > 2:
                j = k
                while j + 1 < n and toks[j + 1].cap and (
                        text[toks[j].end:toks[j + 1].start] in (" ", "\u00a0", ", ") or linked(j, j + 1)):
                    j += 1
                if j > k:
                    end = toks[j].end
                    tail = ADDRESS_TAIL.match(text, end)
                    if tail and tail.end() > end:
                        hits.append((t.start, tail.end(), "PLACE", 0.75, f"cue:{t.folded}-address"))
        # 4. institutions with a locating part: "Comisaría de Familia de Usme", "Centar za socijalni
        #    rad Tuzla", "Gimnaziul nr. 3 din Cahul", "Omladinski centar Bihać"
        self._institutions(text, toks, seeds, hits, acting)
        if has_part and any(part in text for part in PERU_SCHOOL_PARTS):
            for m in PERU_SCHOOL.finditer(text):
                value = self._without_trailing_connectors(m.group())
                hits.append((m.start(), m.start() + len(value), "SCHOOL", 0.8, "cue:i.e."))
        # 5a. a nickname in quotes after a cue: se hacía llamar "el flaco", le dicen «La Güera»
        for m in patterns._matches_at(QUOTED_AFTER_CUE, text, _quoted_after_cue_starts(text)):
            if fold(m.group(1)) in self.person_cues:
                hits.append((m.start(2), m.end(2), "PERSON", 0.75, f"cue:{fold(m.group(1))}-quoted"))
        # 5b. notes typed all in lowercase: places, schools and offices named in lowercase
        capitalised = sum(map(attrgetter("cap"), toks))
        # a text has at most (len + 1) // 2 words: skip the split when capitals are plenty anyway
        if capitalised <= 0.02 * ((len(text) + 1) // 2) and capitalised <= 0.02 * len(text.split()):
            self._lowercase_note(text, hits)
        # 5. appositions after a kin or role word: "su hermana menor, yuli, …", "her brother, vlad,"
        for k in acting:
            t = toks[k]
            if t.folded not in self.person_cues:
                continue
            for m in range(k + 1, min(k + 4, n)):
                nxt = toks[m]
                gap = text[toks[m - 1].end:nxt.start]
                if "\n" in gap or any(c in gap for c in ".;:()") or len(text[t.end:nxt.start].split()) > 3:
                    break
                if gap.rstrip(" ").endswith(",") and not nxt.cap and len(nxt.folded) >= 3 and nxt.folded not in self.decoys:
                    hit = self.lookup(nxt.folded)
                    after = text[nxt.end:nxt.end + 2]
                    if not self.is_common(nxt.folded) or (hit and hit[0] == "name" and not self.is_ambiguous(hit[1])
                                                          and gz.zipf(nxt.folded, self.lang) < 4.0):
                        if after[:1] in (",", ")", ".", ";") or not self.is_common(nxt.folded):
                            hits.append((nxt.start, nxt.end, "PERSON", 0.5, f"cue:{t.folded}-apposition"))
                    break
        # 6. initials: "J.M.", "A. Pérez"
        for m in patterns._matches_at(INITIALS, text, [m.start() - 1 for m in INITIAL_DOT.finditer(text)]):
            value = m.group().strip()
            f = fold(value.replace(" ", "")).rstrip(".")
            if f in self.non_person_initials:
                continue
            letters = value.count(".")
            after = text[m.end():m.end() + 30]
            followed_by_name = re.match(r"\s*[A-ZÁÉÍÓÚÑŠČĆŽĐȘȚ][a-záéíóúñšččćžđșțăâîë]+", after)
            if letters >= 2 or followed_by_name:
                end = m.start() + len(value)
                if followed_by_name:
                    end = m.end() + followed_by_name.end()
                hits.append((m.start(), end, "PERSON", 0.6, "initials"))
        # 7. a name found once with evidence is flagged everywhere in the note ("Drita. "Drita më…")
        self._propagate(text, toks, hits)
        # 8. a name in quotes after an organisation's head noun: ассоциации «Новая жизнь», club "La Fe"
        for m in QUOTED_NAME.finditer(text):
            head = _last_word(text, max(0, m.start() - 40), m.start())  # LAST_WORD's group 1
            if not (head and fold(head[1]) in self.heads):
                name = m.group(1)
                if name[:1].isupper() and len(name.split()) <= 4:
                    # only a name in quotes, not quoted speech: "Fiscalía porque "eso es…""
                    for rx in (HEAD_ONE_BEFORE_QUOTE, HEAD_BEFORE_QUOTE):
                        found = rx.search(text, max(0, m.start() - 40), m.start())
                        head = (found.start(1), found.group(1)) if found else None
                        if head and fold(head[1]) in self.heads:
                            break
            if head and fold(head[1]) in self.heads:
                kind = "SCHOOL" if fold(head[1]) in self.school_heads else "ORG"
                hits.append((head[0], m.end(), kind, 0.7, f"cue:{fold(head[1])}-quoted"))
        # 9. the head noun (and its adjective) before a named institution belongs to the flag
        hits[:] = [self._with_head(text, h) for h in hits]
        # 10. local offices, schools and addresses with a code, a number or a direction
        school_acronym_starts = [m.start() for m in SCHOOL_ACRONYM.finditer(text)] \
            if has_part and any(part in text for part in SCHOOL_ACRONYM_PARTS) else []
        for rx, kind, reason, starts in (
                (SCHOOL_ACRONYM, "SCHOOL", "cue:school-acronym", school_acronym_starts),
                (POLICE_UNIT, "ORG", "cue:police-unit", _police_unit_starts(text)),
                (STREET_DIRECTION, "PLACE", "cue:street-direction",
                 _street_word_starts(STREET_WORD_BEFORE, STREET_WORD_LAST, text, house_number_word_ends))):
            for m in patterns._matches_at(rx, text, starts):
                value = self._without_trailing_connectors(m.group())
                if " " in value.strip() or any(c.isdigit() for c in value):
                    hits.append((m.start(), m.start() + len(value), kind, 0.7, reason))
        hits[:] = [self._with_tail(text, h) for h in hits]
        # two flags joined by a connector are one name: "Kryqi i Kuq Korçë" split at "të"
        ordered = sorted((h for h in hits if h[2] in ("PERSON", "PLACE", "ORG", "SCHOOL")), key=lambda h: h[0])
        for a, b in zip(ordered, ordered[1:]):
            if 0 < b[0] - a[1] <= 8 and text[b[0]:b[0] + 1].isupper() and self.connector_gap.fullmatch(text, a[1], b[0]):
                hits.append((a[0], b[1], a[2] if TYPE_PRIORITY[a[2]] >= TYPE_PRIORITY[b[2]] else b[2],
                             min(a[3], b[3]), "joined:connector"))
        # a national body or generic office named whole ("Comisaría de Familia", "State Police")
        hits[:] = [h for h in hits if not self._is_decoy_phrase(text[h[0]:h[1]])]
        return hits

    def _with_tail(self, text: str, hit: patterns.Hit) -> patterns.Hit:
        """Extend a flag right over a hyphenated code ("IZP-8") and over the lowercase noun after a
        capitalised adjective ("Bijele džamije", "kafić Zlatna ribica")."""
        start, end, kind, score, reason = hit
        if kind not in ("ORG", "SCHOOL", "PLACE", "PERSON", "ID") or end >= len(text):
            return hit
        if text[end - 1].isupper() or text[end - 1].isdigit():
            code = CODE_AFTER.match(text, end)
            if code:
                return start, code.end(), kind, score, reason
        if kind == "ID" or not text[end - 1].isalpha():
            return hit
        noun = ADJECTIVE_NAME_NOUN.match(text, end)
        if not noun:
            return hit
        last = text[start:end].split()[-1]
        f_last, f_noun = fold(last), fold(noun.group(1))
        if not last[:1].isupper() or f_noun in self.connectors:
            return hit
        if f_noun in self.heads and f_noun not in self.decoys and kind != "SCHOOL":
            # "Bijele džamije", "Careva džamija": the building named by the word before it
            return start, noun.end(), "ORG", max(score, 0.6), reason
        if not _adjective_like(f_last) and not (self.name_lang == "sh" and f_last.endswith(("a", "i", "o", "e"))):
            return hit  # Bosnian adjectives agree with the noun after them: "Plava lasta"
        first = WORD.match(text, start)
        led_by_head = kind in ("ORG", "SCHOOL") and first is not None and fold(first.group()) in self.heads \
            and first.end() < end
        if led_by_head and f_noun not in self.decoys and not self.cue_type(f_noun) and len(text[start:end].split()) == 2:
            return start, noun.end(), kind, score, reason
        return hit

    def _without_trailing_connectors(self, value: str) -> str:
        """"I.E. 2045 de" → "I.E. 2045": a connector ending a match belongs to the sentence."""
        value = value.rstrip()
        while True:
            last = value.rsplit(" ", 1)
            if len(last) == 2 and fold(last[1]) in self.connectors:
                value = last[0].rstrip()
            else:
                return value

    def _with_head(self, text: str, hit: patterns.Hit) -> patterns.Hit:
        """Extend a name's flag left over an organisation/school head noun, the connectors between
        and one adjective before the noun: "Karate klubu Vrbas", "Inspectoratul de Poliție X",
        "frizerskom salonu Ivana", "Молодёжного центра X"."""
        start, end, kind, score, reason = hit
        if kind not in ("ORG", "SCHOOL", "PLACE", "PERSON") or start == 0:
            return hit
        pos, head_at, head_kind = start, None, None
        first = WORD.match(text, start)
        if first and fold(first.group()) in self.heads:
            head_at = start  # the flag starts with its head noun: look for an adjective only
            head_kind = "SCHOOL" if fold(first.group()) in self.school_heads else "ORG"
        lowercase_between = 0
        for _ in range(6):
            found = _word_before(text, pos)
            if not found:
                break
            word_start, word = found
            f = fold(word)
            if head_at is None:
                if f in self.heads:
                    head_at, head_kind = word_start, "SCHOOL" if f in self.school_heads else "ORG"
                elif f in self.head_connectors or (word[:1].isupper() and f not in self.person_cues):
                    pass  # tentative: kept only if a head noun comes before it
                elif not word[:1].isupper() and len(f) >= 4 and not lowercase_between and f not in self.person_cues:
                    lowercase_between = 1  # a complement of the head: "инспекторат полиции X"
                else:
                    break
                pos = word_start
                continue
            # one adjective before the head noun: capitalised, or with an adjective ending
            if word[:1].isupper() and f not in self.connectors and not (
                    self._starts_sentence(text, word_start) and f in self.common and not _adjective_like(f)):
                head_at = word_start
            elif not word[:1].isupper() and len(f) >= 5 and _adjective_like(f) and f not in self.connectors:
                head_at = word_start
            break
        if kind in ("ORG", "PERSON"):
            branch = BRANCH_OF.match(text, end)
            if branch:
                end = branch.end()  # "Red Cross branch in Durrës": the branch is located
                kind = "ORG"
        if head_at is None:
            return start, end, kind, score, reason
        if kind in ("PERSON", "PLACE") or (kind == "ORG" and head_kind == "SCHOOL"):
            kind = head_kind
        return head_at, end, kind, max(score, 0.6), reason

    def _lowercase_note(self, text: str, hits: list[patterns.Hit]) -> None:
        """Hasty notes without capitals: look every word up, and read what follows a cue word."""
        words = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
        n = len(words)
        for i, (start, end, f) in enumerate(words):
            longest = self.phrase_first.get(f, 0)
            for length in range(min(longest, n - i), 1, -1):
                last = words[i + length - 1]
                if "\n" in text[start:last[1]] or any(c in text[start:last[1]] for c in ".,;:()"):
                    continue
                key = " ".join(w[2] for w in words[i:i + length])
                if key in self.phrases and key not in self.decoy_phrases:
                    hits.append((start, last[1], "PLACE", 0.6, "gazetteer:place-phrase-lowercase"))
                    break
            if len(f) >= 5 and f in self.geo and f not in self.common and f not in self.decoys:
                hits.append((start, end, "PLACE", 0.45, "gazetteer:place-lowercase"))
            kind = self.cue_type(f)
            if kind:
                # the cue and up to four words after it, to a number or a word that is no everyday word
                stop = None
                for j in range(i + 1, min(i + 5, n)):
                    gap = text[words[j - 1][1]:words[j][0]]
                    if any(c in gap for c in ".,;:()\n"):
                        break
                    if words[j][2] not in self.common or self.lookup(words[j][2]):
                        stop = words[j][1]
                    if words[j][2] in self.decoys:
                        break
                number = LOWERCASE_CUE_NUMBER.match(text, stop or words[i][1])
                if number and (stop or kind in ("SCHOOL", "ORG")):
                    stop = number.end()
                elif number and not stop:
                    j = min(i + 4, n - 1)
                if stop:
                    hits.append((start, stop, kind, 0.5, f"cue:{f}-lowercase"))

    def _propagate(self, text: str, toks: list[Token], hits: list[patterns.Hit]) -> None:
        strong = [(s, e) for s, e, kind, score, _ in hits if kind in ("PERSON", "PLACE") and score >= 0.55]
        # capitalised inside a sentence somewhere: the same word starting a sentence is that name too
        weak = {text[s:e] for s, e, kind, score, reason in hits if reason == "capitalised:inside-sentence"
                and gz.zipf(fold(text[s:e]), self.lang) < WEAK_PROPAGATION_ZIPF}
        known: set[str] = set()
        from_contacts: set[str] = set()
        covered: set[int] = set()
        # the name parts of e-mail addresses and handles ("speranta.m03", "yeni.quispe.h@…")
        if "@" in text or ".com/" in text:
            contact_chunks = patterns._chunks(text, sorted([*patterns._positions(text, "@"), *patterns._positions(text, ".com/")]))
            for m in patterns._finditer_in(CONTACT_PARTS, text, contact_chunks):
                for part in re.findall(r"[^\W\d_]{3,}", m.group()):
                    f = fold(part)
                    if len(f) >= 4 and not self.is_decoy(f):
                        from_contacts.add(f)
        strong.sort()
        idx, k, n = 0, 0, len(toks)
        while k < n and idx < len(strong):
            t = toks[k]
            while idx < len(strong) and strong[idx][1] <= t.start:
                idx += 1
            if idx == len(strong):
                break
            span_start, span_end = strong[idx]
            if t.start < span_start:
                # the tokens before this span neither move on to the next span nor lie inside it
                k = bisect_left(toks, min(span_start, span_end), k + 1, n, key=_token_start)
                continue
            if t.end <= span_end:
                covered.add(k)
                if t.cap and t.folded not in self.connectors and t.folded not in self.decoys \
                        and self.cue_type(t.folded) is None and t.folded not in self.person_cues and len(t.folded) >= 3 \
                        and not (gz.zipf(t.folded, self.lang) >= 5.0 and self.lookup(t.folded) is None):
                    # a very frequent word inside a name ("pekari Kod Bake…") is not that name elsewhere
                    known.add(t.folded)
                    found = self.lookup(t.folded)
                    if found:
                        known.add(found[1])
            k += 1
        from_contacts -= known
        known |= from_contacts
        initial = [k for k, t in enumerate(toks) if t.initial]
        if weak:
            for k in initial:
                t = toks[k]
                if t.word in weak and k not in covered:
                    hits.append((t.start, t.end, "PERSON", 0.4, "document:capitalised-elsewhere"))
        # the same unremarkable word starting two sentences and never written in lowercase: a
        # subject named again ("Eduard i-a propus… Eduard a venit")
        starts: dict[str, list[Token]] = {}
        for k in initial:
            t = toks[k]
            if k not in covered and not t.upper and len(t.folded) >= 3:
                starts.setdefault(t.word, []).append(t)
        for word, ts in starts.items():
            f = ts[0].folded
            if len(ts) < 2 or f in self.decoys or f in self.connectors or self.cue_type(f) or f in self.person_cues \
                    or f in self.never_alone or gz.zipf(f, self.lang) >= 4.5 \
                    or (self.is_common(f) and self.name_lang in ("sq", "en", "es")) \
                    or not all(SPACE_LOWER.match(text[t.end:t.end + 3]) for t in ts) \
                    or _has_whole_word(text, word.lower()):
                continue
            for t in ts:
                hits.append((t.start, t.end, "PERSON", 0.35, "document:repeated-sentence-start"))
        if not known:
            return
        # the words that are a known name or a form of one, decided once per distinct word
        repeated = set()
        cached_lookup, missing = self._stem_cache.get, object()
        for f in {t.folded for t in toks}:
            found = cached_lookup(f, missing)
            if found is missing:
                found = self.lookup(f)
            if f in known or (found is not None and found[1] in known):
                repeated.add(f)
        # a capitalised word may also be a declined form: "Kaltrina" known, "Kaltrinës" starting a
        # line (a suffix off and an ending on give a known name; stems of three letters or more)
        repeated_cap = repeated
        others = {f for f in {t.folded for t in toks if t.cap} - repeated if len(f) >= 5}
        if others:
            stems = {name[:len(name) - len(ending)] for name in known for ending in self.endings if name.endswith(ending)}
            if len(others) < len(stems):  # try each suffix off each word
                repeated_cap = repeated | {f for f in others if any(
                    f.endswith(suffix) and len(f) - len(suffix) >= 3 and f[:len(f) - len(suffix)] in stems
                    for suffix in self.suffixes)}
            else:  # or each suffix on each stem
                repeated_cap = repeated | (others & {stem + suffix for stem in stems if len(stem) >= 3
                                                     for suffix in self.suffixes})
        for k, t in enumerate(toks):
            f = t.folded
            if f not in (repeated_cap if t.cap else repeated) or k in covered:
                continue
            if t.cap:
                hits.append((t.start, t.end, "PERSON", 0.6, "document:repeated-name"))
            elif f in from_contacts:
                continue
            elif not self.is_common(f):
                hits.append((t.start, t.end, "PERSON", 0.5, "document:repeated-name"))

    def _institutions(self, text: str, toks: list[Token], seeds: list, hits: list[patterns.Hit],
                      candidates: list[int] | None = None) -> None:
        """`candidates`: the indices of the tokens that may be cue words (default: all)."""
        n = len(toks)
        for c in range(n) if candidates is None else candidates:
            t = toks[c]
            kind = self.cue_type(t.folded)
            if kind not in ("SCHOOL", "ORG"):
                continue
            end = None
            prev = t
            lowercase_run = 0
            for j in range(c + 1, min(c + 9, n)):
                tj = toks[j]
                gap = text[prev.end:tj.start]
                if not INSTITUTION_GAP.fullmatch(gap):
                    break
                if gap.startswith(".") and fold(prev.word) not in self.abbreviations:
                    break
                digits = LAST_NUMBER.search(gap)
                if digits:
                    end = prev.end + digits.end()
                if tj.cap:
                    lowercase_run = 0
                    strong = seeds[j] and seeds[j][1] >= 0.55
                    if not self.is_decoy(tj.folded) and (strong or tj.upper):
                        end = tj.end
                else:
                    lowercase_run += 1
                    if lowercase_run > 3:
                        break
                prev = tj
            else:
                tail = INSTITUTION_NUMBER.match(text, prev.end)
                if tail and prev is not t:
                    end = tail.end()
            if end is None:
                tail = INSTITUTION_SIGN_NUMBER.match(text, t.end)
                if not tail:
                    continue
                end = tail.end()
            start = t.start
            for k in range(c - 1, max(c - 4, -1), -1):
                tk = toks[k]
                gap = text[tk.end:toks[k + 1].start]
                # spaces, quotes, or up to two everyday words ("Mješovitu srednju školu Kakanj")
                if "\n" in gap or not LEFT_GAP.fullmatch(gap):
                    break
                if tk.cap:
                    if tk.initial and self.is_common(tk.folded) and not self.cue_type(tk.folded) \
                            and not tk.folded.endswith(("a", "i", "o")):
                        break
                    if tk.folded in self.decoys or (tk.initial and tk.folded in self.connectors):
                        break
                    start = tk.start
                elif tk.folded in self.connectors:
                    break
            hits.append((start, end, kind, 0.75, f"cue:{t.folded}"))

    def _judge_run(self, text: str, toks: list[Token], seeds: list, i: int, j: int,
                   hits: list[patterns.Hit]) -> None:
        # the cue word just before the run ("barrio Santa Librada", "la calle Olmos")
        before = toks[i - 1] if i > 0 else None
        cue_before = None
        gap = text[before.end:toks[i].start] if before is not None else ""
        if before is not None and gap.strip(" " + QUOTES) == "" and "\n" not in gap:
            cue_before = self.cue_type(before.folded)
            if before.folded in self.person_cues and not seeds[i] and not toks[i].initial:
                cue_before = "PERSON"
        # and just after ("the Cuba neighbourhood", "Kristoforidhi High School")
        after = toks[j + 1] if j + 1 < len(toks) else None
        cue_after = None
        if after is not None and not after.cap and text[toks[j].end:after.start].strip(" " + QUOTES) == "":
            cue_after = self.cue_type(after.folded) if after.folded in self.place_cues or after.folded in self.school_cues else None
        run = list(range(i, j + 1))
        if (toks[i].folded if i == j else " ".join(toks[k].folded for k in run)) in self.decoy_phrases:
            return
        if self._decoy_not_name(toks[i].folded) and all(
                not seeds[k] or seeds[k][1] < 0.55 for k in run) and not cue_before and not cue_after:
            return  # "Policia e Shtetit", "Fiscalía General": a national body, no place named
        # leading sentence-initial everyday words are not part of the name ("Cuando María…")
        while run and toks[run[0]].initial and not seeds[run[0]] and not self.cue_type(toks[run[0]].folded):
            first = self.lookup(toks[run[0]].folded)
            second = self.lookup(toks[run[1]].folded) if len(run) > 1 else None
            second_seed = seeds[run[1]] if len(run) > 1 else None
            if ((second and second[0] == "name") or (second_seed and second_seed[1] >= 0.55)) and (
                    (first and first[0] == "name") or gz.zipf(toks[run[0]].folded, self.lang) < 4.5):
                break  # "Ana Rusu", "Yeni Quispe", "Michel Tournier" starting a line: a name before a name
            if second_seed and second_seed[0] == "PERSON" and len(run) == 2 and not toks[run[1]].upper and (
                    (first and first[0] == "name") or gz.zipf(toks[run[0]].folded, self.lang) < 3.5):
                # a rare word before a capitalised unknown word: a first name and surname ("Laurence Olivier")
                break  # "Ana Rusu", "Yeni Quispe", "Michel Tournier" starting a line: a name before a name
            run.pop(0)
        while run and (toks[run[-1]].folded in self.connectors or toks[run[-1]].folded in self.decoys) and len(run) > 1 \
                and not seeds[run[-1]]:
            run.pop()
        while run and toks[run[0]].folded in self.connectors:
            run.pop(0)
        if not run:
            return
        caps = [k for k in run if toks[k].cap]
        words = " ".join(toks[k].folded for k in run)
        if words in self.decoy_phrases:
            return
        # drop leading/trailing decoys (countries, platforms) unless a cue claims them
        while caps and self._decoy_not_name(toks[caps[0]].folded) and not cue_before and not cue_after:
            run = run[run.index(caps[0]) + 1:]
            caps = caps[1:]
        while run and toks[run[0]].folded in self.connectors:
            run.pop(0)
        if not caps or not run:
            return
        run_seeds = [seeds[k] for k in run if seeds[k]]
        head_cue = self.cue_type(toks[run[0]].folded)
        cue = head_cue or cue_before or cue_after
        start, end = toks[run[0]].start, toks[run[-1]].end
        # a school or organisation often ends with its number: "Secundaria Técnica 48", "nr. 4"
        tail = RUN_NUMBER.match(text, end) if cue in ("SCHOOL", "ORG") else None
        if tail:
            end = tail.end()
        if cue == "PLACE" and not cue_after:
            house = ADDRESS_TAIL.match(text, end)
            if house and house.end() > end:
                end = house.end()  # "ulica Ferhadija 12", "strada Ștefan cel Mare 14"
        if cue_after:
            end = after.end
        if cue_before in ("SCHOOL", "ORG", "PLACE"):
            start = before.start
        if run_seeds:
            types = [s[0] for s in run_seeds]
            kind = cue or ("PERSON" if "PERSON" in types and "PLACE" not in types else types[0])
            score = max(s[1] for s in run_seeds)
            reason = run_seeds[0][2] if not cue else f"cue:{cue.lower()}"
            hits.append((start, end, kind, score, reason))
            return
        non_decoy_caps = [k for k in caps if toks[k].folded not in self.decoys
                          or cue_before == "PLACE" or cue_after == "PLACE"]
        if cue and non_decoy_caps and (len(caps) >= 2 or head_cue is None or cue_before or cue_after):
            if not (head_cue and len(caps) == 1):
                hits.append((start, end, cue, 0.7, f"cue:{cue.lower()}"))
                return
        # two or more capitalised everyday words inside a sentence: a proper name ("Cerro Colorado")
        if len(non_decoy_caps) >= 2 and not toks[run[0]].initial and not all(toks[k].upper for k in caps) \
                and not all(toks[k].folded in self.institution_words for k in non_decoy_caps):
            hits.append((start, end, cue or "ORG", 0.45, "capitalised:multi-word-name"))


CONTACT_PARTS = re.compile(r"[\w.]+(?=@)|(?<=@)[\w.]+|(?<=\.com/)[\w.]+")

# --- where a costly pattern can start -----------------------------------------------------------
# A pattern with no literal first character makes the regex engine try it at every position of
# the text. These find, with a cheap scan, a few positions that include every position where the
# pattern can match; `patterns._matches_at` tries it only there (same matches as a full scan).

# each word an acronym of SCHOOL_ACRONYM can be holds one of these
SCHOOL_ACRONYM_PARTS = ("CE", "CB", "CO", "IEP", "EPO")
# every POLICE_UNIT match names the police ("poliție", "politia"); found from its "p"
POLICE_WORD = re.compile(r"[pP](?i:oli[tțţ])")
# the unit word of POLICE_UNIT, ending where the spaces before the police word (or "de") start
# (no alternative ends with another, so the one found is the only one)
POLICE_UNIT_WORD_BEFORE = re.compile(
    r"(?i:sectorul|secția|secţia|sectia|postul|comisariatul|inspectoratul|sector|secției|sectorului)\Z")
LONGEST_POLICE_UNIT_WORD = len("inspectoratul")
# the street word of STREET_DIRECTION and of GRID_ADDRESS, ending where the spaces before their
# number start (no alternative ends with another, so the one found is the only one)
STREET_WORD_BEFORE = re.compile(r"(?i:calle|carrera|cra\.?|avenida|av\.|diagonal|transversal|cl\.?)\Z")
GRID_WORD_BEFORE = re.compile(r"(?:Carrera|Cra\.?|Kra\.?|Kr\.?|Calle|Cll?\.?|Diagonal|Dg\.?|Diag\.?|Transversal|Tv\.?|"
                              r"Transv\.?|Avenida|Av\.?|Ak\.?|Ac\.?|Circular|Manzana|Mz\.?|Mza\.?)\Z")
LONGEST_STREET_WORD = len("transversal")
# the last characters of those street words (STREET_WORD_BEFORE ignores case)
STREET_WORD_LAST = frozenset("ealEAL.")
GRID_WORD_LAST = frozenset("arelgvkcz.")
# each match of STREET_ABBREVIATION, BLOCK_LOT and PERU_SCHOOL holds one of these
STREET_ABBREVIATION_PARTS = ("C/", "Avda", "Av.", "Ctra", "Pz", "Pº", "Jr.", "Str.", "Bd.", "Bul.", "Ul.", "Rr.")
BLOCK_LOT_PARTS = ("Mz", "Manzana")
PERU_SCHOOL_PARTS = ("I.", "IE")
# any of the parts above: most texts have none, and one scan tells (cheaper than one test per part)
ANY_ACRONYM_PART = re.compile("|".join(map(re.escape, sorted(
    {*SCHOOL_ACRONYM_PARTS, *STREET_ABBREVIATION_PARTS, *BLOCK_LOT_PARTS, *PERU_SCHOOL_PARTS}, key=len, reverse=True))))
# an opening quote after a space or tab (QUOTED_AFTER_CUE: a word, spaces, the quote)
QUOTE_AFTER_SPACE = re.compile(r"[\"“«„‘'](?<=[ \t].)")
# a "." after a capital that may be an initial (INITIALS)
INITIAL_DOT = re.compile(r"\.(?<=[A-ZÁÉÍÓÚÑÇËŠČĆŽĐȘȚĂÂÎ]\.)")


def _police_unit_starts(text: str) -> list[int]:
    """Positions where POLICE_UNIT may match: its unit word ends before the police word, spaces
    and an optional "de" between."""
    starts: set[int] = set()
    for m in POLICE_WORD.finditer(text):
        end = m.start()
        while end > 0 and text[end - 1] in " \u00a0":
            end -= 1
        ends = [end]
        if end > 2 and text[end - 2:end] == "de" and text[end - 3] in " \u00a0":
            end -= 2
            while end > 0 and text[end - 1] in " \u00a0":
                end -= 1
            ends.append(end)
        for end in ends:
            word = POLICE_UNIT_WORD_BEFORE.search(text, max(0, end - LONGEST_POLICE_UNIT_WORD), end)
            if word:
                starts.add(word.start())
    return sorted(starts)


def _house_number_word_ends(text: str, runs: list[tuple[int, int]]) -> list[int]:
    """For each run of one to three digits, where the spaces before it start: there ends the street
    word of a match of STREET_DIRECTION ("calle 5 Oeste") or GRID_ADDRESS ("Carrera 7 # 45-12")."""
    ends = []
    for start, end in runs:
        if end - start <= 3:
            while start > 0 and text[start - 1] in " \u00a0":
                start -= 1
            ends.append(start)
    return ends


def _street_word_starts(word_before: re.Pattern, last_letters: frozenset[str], text: str,
                        word_ends: list[int]) -> list[int]:
    """Where the street words (`word_before`, ending with one of `last_letters`) ending at these
    positions start."""
    starts = []
    for end in word_ends:
        if end == 0 or text[end - 1] not in last_letters:
            continue
        word = word_before.search(text, max(0, end - LONGEST_STREET_WORD), end)
        if word:
            starts.append(word.start())
    return starts


def _quoted_after_cue_starts(text: str) -> list[int]:
    """Positions where QUOTED_AFTER_CUE may match: the start of the word before the spaces before
    an opening quote."""
    starts = []
    for m in QUOTE_AFTER_SPACE.finditer(text):
        k = m.start() - 1
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        w = k
        while w > 0 and (text[w - 1].isalnum() or text[w - 1] == "_"):  # \w
            w -= 1
        if w < k:
            starts.append(w)
    return starts
_BEFORE_WORD_SKIP = frozenset(" \u00a0«\"“„'")


@lru_cache(maxsize=65536)
def _adjective_like(folded: str) -> bool:
    """Does the folded word have an adjective ending (ADJECTIVE)? Kept per word."""
    return ADJECTIVE.search(folded) is not None


def _is_run_char(c: str) -> bool:
    return c.isalnum() or c in "_'’-"  # a character of WORD_RUN


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # the regex \w


def _has_whole_word(text: str, word: str) -> bool:
    r"""Does `word` occur with no word character on either side, as the regex
    (?<!\w)word(?!\w) would find it (with no regex to compile per word)?"""
    pos = text.find(word)
    while pos >= 0:
        end = pos + len(word)
        if (pos == 0 or not _is_word_char(text[pos - 1])) and (end == len(text) or not _is_word_char(text[end])):
            return True
        pos = text.find(word, pos + 1)
    return False


_QUOTE_BEFORE_NAME = frozenset("«\"“„'")


def _last_word(text: str, start: int, end: int) -> tuple[int, str] | None:
    r"""Where the word before a quote starts, and the word: what the regex
    ([^\W\d_]+\.?|№)[ \u00a0]*[«"“„']?[ \u00a0]*\Z searched in text[start:end] finds in its group
    (letters and maybe a ".", or "№"; then spaces, an opening quote, spaces). Scanned back from
    `end`: the regex engine would try every position of the window in turn."""
    k = end
    while k > start and text[k - 1] in " \u00a0":
        k -= 1
    if k > start and text[k - 1] in _QUOTE_BEFORE_NAME:
        k -= 1
        while k > start and text[k - 1] in " \u00a0":
            k -= 1
    if k > start and text[k - 1] == "№":
        return k - 1, "№"
    word_end = k
    if k > start and text[k - 1] == ".":
        k -= 1
    j = k
    while j > start and text[j - 1].isalnum() and not text[j - 1].isdecimal():  # [^\W\d_]
        j -= 1
    return (j, text[j:word_end]) if j < k else None


def _word_before(text: str, pos: int) -> tuple[int, str] | None:
    """The word (letters, an optional final period, or "№") ending just before `pos`, with only
    spaces or an opening quote between; a hand-written scan, cheaper than a regex per flag."""
    j = pos
    while j > 0 and text[j - 1] in _BEFORE_WORD_SKIP and pos - j < 4:
        j -= 1
    if j == 0:
        return None
    end = j
    if text[j - 1] == "№":
        return j - 1, "№"
    if text[j - 1] == ".":
        j -= 1
    # the letters back to the space before them, when they are all letters (most often); else
    # one character at a time
    k = text.rfind(" ", 0, j) + 1
    if not text[k:j].isalpha():
        k = j
        while k > 0 and text[k - 1].isalpha():
            k -= 1
    if k == j or j - k > 40:
        return None
    return k, text[k:end]


@lru_cache(maxsize=None)
def rules_for(lang: str) -> Rules:
    return Rules(lang)


def merge(text: str, hits: list[patterns.Hit]) -> list[Flag]:
    """Union of overlapping hits: one flag covering them all, typed by the strongest kind."""
    # merged as plain lists [start, end, type, score, reason]; Flags are built once at the end
    merged: list[list] = []
    # by start, longest first (two stable sorts: the same order as the key (start, -end))
    ordered = sorted(hits, key=itemgetter(1), reverse=True)
    ordered.sort(key=itemgetter(0))
    for start, end, kind, score, reason in ordered:
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if (TYPE_PRIORITY[kind], score) > (TYPE_PRIORITY[last[2]], last[3]):
                last[2], last[4] = kind, reason
            last[1] = max(last[1], end)
            last[3] = max(score, last[3])
        else:
            merged.append([start, end, kind, round(score, 2), reason])
    return [Flag(start, end, kind, text[start:end], score, reason) for start, end, kind, score, reason in merged]
