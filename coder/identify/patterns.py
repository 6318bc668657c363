"""Identifiers with a shape: e-mails, URLs, handles, phone numbers, national IDs (with checksums),
case and file numbers, licence plates and dates. Recall first: a checksum raises the score, a
failed one lowers it, but a near-miss is still flagged (a mistyped ID is still an ID)."""

from __future__ import annotations

import re
from functools import lru_cache

from coder.identify import vocab
from coder.identify.textfold import fold

Hit = tuple[int, int, str, float, str]  # start, end, type, score, reason

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»“”]+"
                 r"|\b[\w\-]+(?:\.[\w\-]+)*\.(?:com|net|org|ru|md|al|ba|co|mx|pe|ro|hr|rs|me|io|tv|info|edu|gob|gov|us)"
                 r"(?:\.[a-z]{2})?/[^\s<>\"'«»“”]+", re.IGNORECASE)
# letters of any script: "@jf_caleño"; the "@" comes first (its look-behind after it) so the regex
# engine jumps from one "@" to the next instead of trying every position
HANDLE = re.compile(r"@(?<![\w@.]@)\w(?:[\w.]*\w)?")
# user names written without "@": lowercase words joined by "_" or ending in ".digits"
BARE_HANDLE = re.compile(r"(?<![\w@./\-])(?:[^\W\d_][^\W_]*(?:\.[^\W_]+)*(?:_[^\W_]+)+(?:\.[^\W_]+)*_?|[a-z][a-z0-9_]*\.\d{2,}|[a-z]+\d{2,}[a-z0-9_]*)(?![\w@/])")
# runs of digits and short capital codes: phones, ID numbers, case numbers, plates
CODE_TOKEN = r"(?:\+|\()?[0-9A-Z][0-9A-Z]*\)?(?:[./\-][0-9A-Z]+\)?)*"
CODE_RUN = re.compile(rf"(?=[+(0-9A-Z])(?<![\w./@])(?<![0-9A-Z]-){CODE_TOKEN}(?:[ \u00a0]{CODE_TOKEN})*(?![\w@])")
PARTICIPANT = re.compile(r"^[A-Z]-?\d{1,3}$")  # participant and respondent codes: P07, R01
MONEY_AFTER = re.compile(r"\s*(?:pesos|soles|lek|lekë|leke|lei|km|eur|euro|euros|dólares|dolares|usd|rubl|руб|\$|%)", re.IGNORECASE)

UNIT_AFTER = re.compile(r"\s*(?:mg|ml|g|kg|km|m|cm|mm|ui|u|años|anos|days|días|horas|hours|personas|people|"
                        r"casos|cases|vjet|ani|godina|лет|habitantes|inhabitants|metros|metres|kilos?|kilogramos|litros|libras|grados|"
                        r"lb|lbs|l|kilograms?|pounds|litres|liters)\b", re.IGNORECASE)
LAW_BEFORE = re.compile(r"(?i)\b(?:ley|law|act|ligji|ligjit|legea|legii|zakon|zakona|zakonu|закон|закона)"
                        r"\s*(?:n[rº°o]\.?|núm\.?|№)?\s*$")
# "(?=\d)" first lets the regex engine skip to digits instead of trying every position
NUMERIC_DATE = re.compile(r"(?=\d)(?<![\d./\-])(?:\d{1,2}[./\-]\s?\d{1,2}[./\-]\s?(?:\d{4}|\d{2})\.?|\d{4}-\d{2}-\d{2})(?![\d/\-]|\.\d)")


@lru_cache(maxsize=None)
def _month_regexes(lang: str) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Dates with month names of the note's language and English (notes quote English dates)."""
    langs = {vocab.NAME_LANG.get(lang, lang), "en"}
    names = sorted({w for key in langs for w in vocab.MONTHS.get(key, "").split()}, key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(n) for n in names) + r")\.?"
    day = r"\d{1,2}(?:\.|º|°|st|nd|rd|th|-?го|-?ого)?"
    year = r"(?:\d{4}|'\d{2})"
    day_month = re.compile(
        rf"{day}\s*(?:de\s+|of\s+|-)?{month}(?:\s*(?:,|de|del|of|-)?\s*{year}(?:\s?(?:г\.|года|godine|god\.))?)?(?![\w])",
        re.IGNORECASE)
    month_day = re.compile(rf"{month}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{year})?(?!\w)", re.IGNORECASE)
    month_year = re.compile(rf"{month}\s*(?:de(?:l)?\s+|,\s*)?{year}(?!\w)", re.IGNORECASE)
    # a month name right before a number (searched in a short window before each number)
    initials = "".join(sorted({c for n in names for c in (n[0], n[0].lower(), n[0].upper())}))
    month_before = re.compile(rf"(?=[{re.escape(initials)}])(?<![\w]){month}\s*(?:de(?:l)?\s+|,\s*)?$", re.IGNORECASE)
    return day_month, month_day, month_year, month_before


@lru_cache(maxsize=65536)
def _month_before(lang: str, window: str) -> int | None:
    """Where a month name ends the window before a number ("mayo de ", "March "), or None. Kept per
    window: the same few words come before numbers again and again."""
    found = _month_regexes(lang)[3].search(window)
    return found.start() if found else None


DIGIT_RUN = re.compile(r"(?=\d)(?<!\d)\d{1,4}(?!\d)")
YEAR = re.compile(r"(?=[12])(?<!\d)(?:19|20)\d{2}(?!\d)")
YEAR_BEFORE = re.compile(r"(?i)(?<!\w)(\w+)\s+(?:(?:en|in|në|în|u|в)\s+)?(?:(?:el\s+)?año\s+)?$")


@lru_cache(maxsize=None)
def _birth_cues() -> frozenset[str]:
    return frozenset(fold(w) for w in vocab.BIRTH_CUES)


YEAR_WORD_BEFORE = re.compile(r"(?<!\w)(?:ano|year|anul|anului|viti|vitin|vitit|godine|godina|godini|году|год)\s+$")


# --- checksums ---------------------------------------------------------------------------------

def _stdnum_valid(module: str, value: str) -> bool:
    import importlib

    try:
        return importlib.import_module(f"stdnum.{module}").is_valid(value)
    except Exception:  # noqa: BLE001 - a validator that cannot run says nothing
        return False


def _rfc_valid(value: str) -> bool:
    try:
        from stdnum.mx import rfc

        rfc.validate(value, validate_check_digits=True)
        return True
    except Exception:  # noqa: BLE001
        return False


def jmbg_valid(digits: str) -> bool:
    """Bosnian/Serbian/Croatian JMBG: 13 digits DDMMYYYRRBBBK, weighted mod-11 check digit."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    weights = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    rest = sum(int(d) * w for d, w in zip(digits, weights)) % 11
    check = 11 - rest
    if check == 11:
        check = 0
    if check == 10:
        return False
    day, month = int(digits[:2]), int(digits[2:4])
    return check == int(digits[12]) and 1 <= day <= 31 and 1 <= month <= 12


def idnp_valid(digits: str) -> bool:
    """Moldovan IDNP: 13 digits, weights 7-3-1 over the first 12, sum mod 10 is the last digit."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    weights = (7, 3, 1) * 4
    return sum(int(d) * w for d, w in zip(digits, weights)) % 10 == int(digits[12])


def albanian_personal_number_valid(value: str) -> bool:
    """Albanian personal number (NID): letter for the decade, year digit, month (+50 for women),
    day, 3-digit serial, control letter. The control letter's algorithm is not public, so this
    checks the structure and the date."""
    m = re.fullmatch(r"([A-T])(\d)(\d{2})(\d{2})(\d{3})([A-W])", value)
    if not m:
        return False
    month, day = int(m.group(3)), int(m.group(4))
    month = month - 50 if month > 50 else month
    return 1 <= month <= 12 and 1 <= day <= 31


@lru_cache(maxsize=65536)
def id_check(value: str) -> tuple[float, str]:
    """Score and reason for an ID-like code: validated forms score high, others stay flagged."""
    compact = re.sub(r"[\s.\-/()]", "", value).upper()
    if re.fullmatch(r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d", compact):
        return (0.99, "id:CURP") if _stdnum_valid("mx.curp", compact) else (0.85, "id:CURP-checksum-failed")
    if re.fullmatch(r"[A-Z&Ñ]{3,4}\d{6}[A-Z0-9]{3}", compact):
        return (0.98, "id:RFC") if _rfc_valid(compact) else (0.8, "id:RFC-checksum-failed")
    if re.fullmatch(r"[A-Z]\d{8}[A-Z]", compact):
        return (0.97, "id:AL-personal-number") if albanian_personal_number_valid(compact) else (0.8, "id:AL-format")
    if compact.isdigit():
        n = len(compact)
        if n == 13:
            if jmbg_valid(compact):
                return 0.98, "id:JMBG"
            if idnp_valid(compact):
                return 0.98, "id:IDNP"
            if compact[0] in "12345678" and _stdnum_valid("ro.cnp", compact):
                return 0.98, "id:CNP"
            return 0.85, "id:13-digits-checksum-failed"
        if n == 11 and _stdnum_valid("hr.oib", compact):
            return 0.95, "id:OIB"
        if n == 8:
            return 0.9, "id:DNI-PE"
        if n in (6, 7, 9, 10, 11, 12):
            return 0.85, f"id:{n}-digits"
        return 0.8, f"id:{n}-digits"
    return 0.8, "id:code"


# --- phones ------------------------------------------------------------------------------------

PHONE_REGIONS = ("MX", "CO", "PE", "AL", "MD", "BA")


PHONE_REGION_FIRST = {"es": ("MX", "CO", "PE"), "en": (), "sq": ("AL",), "ro": ("MD",), "ru": ("MD",),
                      "bs": ("BA",), "hr": ("BA",), "sr": ("BA",)}


@lru_cache(maxsize=65536)  # a pure function of its arguments; phonenumbers parsing is slow
def phone_check(value: str, lang: str = "es") -> tuple[bool, str]:
    """Is this run a phone number of one of the six countries (or international)?"""
    import phonenumbers

    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 15:
        return False, ""
    if value.lstrip().startswith("+"):
        try:
            num = phonenumbers.parse(value, None)
            if phonenumbers.is_possible_number(num):
                return True, "phone:" + (phonenumbers.region_code_for_number(num) or "intl")
        except phonenumbers.NumberParseException:
            pass
        return True, "phone:intl-format"
    first = PHONE_REGION_FIRST.get(lang, ())
    for region in first + tuple(r for r in PHONE_REGIONS if r not in first):
        try:
            num = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return True, f"phone:{region}"
    # Mexico's retired mobile prefixes and grouped forms phonenumbers rejects
    if re.fullmatch(r"(?:044|045)?\s?\d{2,3}[\s.\-]\d{3,4}[\s.\-]\d{4}", value.strip()):
        return True, "phone:MX-format"
    grouped = re.fullmatch(r"\(?\d{2,4}\)?(?:[\s.\-/]\d{2,4}){1,4}", value.strip())
    if grouped and 8 <= len(digits) <= 10 and not re.search(r"\.\d{3}\.", value):
        return True, "phone:format"
    return False, ""


# --- the scan ----------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _id_cues() -> frozenset[str]:
    return frozenset(fold(w) for w in vocab.ID_CUES) | {"tel", "cel", "mob", "ci", "cp"}


NON_DIGIT = re.compile(r"\D")
NON_CAPITAL = re.compile(r"[^A-Z]")
CAPITAL = re.compile(r"[A-Z]")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+()./-")
# every character CODE_RUN can match except digits: a match made only of these holds no number
_CODE_NON_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ+()./- \u00a0"


def _code_regions(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The stretches of CODE_RUN's characters (capitals, digits and "+()./-", single spaces between)
    around the runs of digits, each stretch whole. Every CODE_RUN match lies inside one stretch and
    only a match with a digit is ever flagged, so scanning these finds all that matters. None when a
    run has other digits than 0-9 (CODE_RUN knows only these): then scan the whole text."""
    regions: list[tuple[int, int]] = []
    size = len(text)
    for start, end in runs:
        if regions and start < regions[-1][1]:
            continue  # in the stretch of the run before
        if not text[start:end].isascii():
            return None
        while start > 0 and (text[start - 1] in _CODE_CHARS
                             or (text[start - 1] in " \u00a0" and start > 1 and text[start - 2] in _CODE_CHARS)):
            start -= 1
        while end < size and (text[end] in _CODE_CHARS
                              or (text[end] in " \u00a0" and end + 1 < size and text[end + 1] in _CODE_CHARS)):
            end += 1
        regions.append((start, end))
    return regions


def _code_runs(text: str, runs: list[tuple[int, int]] | None):
    """CODE_RUN's matches that hold a digit (and maybe some without)."""
    regions = None if runs is None else _code_regions(text, runs)
    if regions is None:
        yield from CODE_RUN.finditer(text)
        return
    size = len(text)
    for start, end in regions:
        # one character more, for the look-ahead at the end of a match
        yield from CODE_RUN.finditer(text, start, min(end + 1, size))


def _code_hits(text: str, lang: str = "es", runs: list[tuple[int, int]] | None = None) -> list[Hit]:
    hits: list[Hit] = []
    for m in _code_runs(text, runs):
        value = m.group()
        # most matches are a capital letter ("A", "I") or a short number (an age, a day, a year):
        # with no digit, or at most four digits and nothing else, no branch below flags anything
        if not value.strip(_CODE_NON_DIGITS) or (len(value) <= 4 and value.isdigit()):
            continue
        start, end = m.start(), m.end()
        # trailing sentence punctuation / closing parenthesis without an opening one
        while value and value[-1] in ".)-/" and not (value[-1] == ")" and "(" in value):
            value, end = value[:-1], end - 1
        while value and value[0] == "(" and ")" not in value:
            value, start = value[1:], start + 1
        if not value:
            continue
        tokens = value.split()
        # drop leading/trailing pure-letter words longer than a plate's letters (acronyms, "ALO")
        while tokens and tokens[0].isalpha() and (len(tokens[0]) > 3 or len(tokens) == 1
                                                  or fold(tokens[0]) in _id_cues()):
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        while tokens and tokens[-1].isalpha() and len(tokens[-1]) > 3:
            tokens = tokens[:-1]
        if not tokens:
            continue
        value = text[start:start + len(" ".join(tokens))]
        end = start + len(value)
        digits = NON_DIGIT.sub("", value)
        letters = NON_CAPITAL.sub("", value)
        if not digits:
            continue
        if PARTICIPANT.match(value.replace(" ", "")):
            continue
        if PARTICIPANT.match(tokens[0]) and re.fullmatch(r"\(?\d{1,2}\)?", " ".join(tokens[1:])):
            continue  # a participant code and an age: "P32 (17)", "P41 19"
        if digits in vocab.HELPLINES and (not letters or len(digits) <= 6):
            continue
        letter_words = [t for t in tokens if t.isalpha()]
        digit_only = CAPITAL.sub("", value).strip()
        if letter_words and NON_DIGIT.sub("", digit_only) in vocab.HELPLINES:
            continue
        if MONEY_AFTER.match(text, end) or (start and text[start - 1] in "$€"):
            continue
        if LAW_BEFORE.search(text, max(0, start - 24), start):
            continue  # "Ley 30364", "Legea nr. 140/2013": a law, not a case
        if NUMERIC_DATE.fullmatch(value) or DAY_MONTH_NUMERIC.fullmatch(value) or re.fullmatch(r"\(?(?:1[0-9]|20)\d{2}(?:\s?[-–]\s?(?:1[0-9]|20)\d{2})?\)?", value):
            continue  # dates are found by the date patterns; a lone year is not an identifier
        is_phone, reason = phone_check(value, lang) if not letters else (False, "")
        if is_phone and value.isdigit() and not value.startswith("0"):
            # an unseparated number: the words before it say whether it is an ID or a phone
            context = fold(text[max(0, start - 40):start])
            id_cue = re.search(r"\b(dni|cedula|curp|rfc|idnp|jmbg|cnp|oib|nhc|cipa|nass|pasaporte|passport|personal|"
                               r"matricula|expediente|dosar|predmet|carpeta|radicado|identidad|id|nr|no|numero|"
                               r"numri personal|broj)\b[^\d]*$", context)
            phone_cue = re.search(r"(tel|cel|movil|phone|mobile|whatsapp|telefon|llama|contact|kontakt)", context)
            if id_cue and not phone_cue:
                is_phone = False
        if is_phone:
            hits.append((start, end, "CONTACT", 0.95, reason))
        elif letters and len(digits) >= 2 and (len(value.replace(" ", "")) >= 5 or len(tokens) >= 2):
            score, reason = id_check(value)
            hits.append((start, end, "ID", score, reason if reason != "id:code" else "id:code"))
        elif letters and re.fullmatch(r"[A-Z]{1,3}[ \-]?\d{2,4}(?:[ \-]?[A-Z]{1,3})?", value):
            hits.append((start, end, "ID", 0.7, "id:plate"))
        elif not letters and len(digits) >= 6:
            score, reason = id_check(value)
            hits.append((start, end, "ID", score, reason))
        elif not letters and len(digits) == 5 and re.fullmatch(r"\d{5}", value) and not UNIT_AFTER.match(text, end):
            hits.append((start, end, "ID", 0.5, "number:postal-code-or-id"))
        elif not letters and "/" in value and len(digits) >= 4:
            hits.append((start, end, "ID", 0.7, "id:case-number"))
    return hits


# day and month without a year, "14.02", "14/02." (a two-digit month, so no decimal "1.5")
DAY_MONTH_NUMERIC = re.compile(r"(?=\d)(?<![\d./\-,])(?:0?[1-9]|[12]\d|3[01])[./](?:0[1-9]|1[0-2])\.?(?![\d/\-]|[.,]\d)")


DIGITS = re.compile(r"\d+")


_last_digit_runs: tuple[str | None, list[tuple[int, int]]] = (None, [])


def _digit_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every maximal run of digits: the date patterns can only start at one, so
    they are tried there instead of scanning the whole text once per pattern. Kept for the last
    text (the rules ask again for the same note)."""
    global _last_digit_runs
    last_text, last_runs = _last_digit_runs  # one read: another thread may replace it
    if last_text is text:
        return last_runs
    runs = [m.span() for m in DIGITS.finditer(text)]
    _last_digit_runs = (text, runs)
    return runs


def _matches_at(rx: re.Pattern, text: str, starts):
    """What `rx.finditer(text)` yields, given ascending positions that include every position
    where a match of `rx` can start: the same leftmost, non-overlapping matches."""
    resume = 0
    for start in starts:
        if start >= resume:
            m = rx.match(text, start)
            if m:
                yield m
                resume = max(m.end(), start + 1)


def _date_hits(text: str, lang: str, runs: list[tuple[int, int]] | None = None) -> list[Hit]:
    hits: list[Hit] = []
    if runs is None:
        runs = _digit_runs(text)
    if not runs:
        return hits  # every date pattern needs a digit
    size = len(text)
    # a numeric date starts with a run of one or two digits and a separator ("14.02", "3/5/21"), or
    # of four and a hyphen ("2019-03-04")
    day_month_starts = [s for s, e in runs if e - s <= 2 and e < size and text[e] in "./"]
    for m in _matches_at(DAY_MONTH_NUMERIC, text, day_month_starts):
        if MONEY_AFTER.match(text, m.end()) or UNIT_AFTER.match(text, m.end()) or (m.start() and text[m.start() - 1] in "$€"):
            continue
        hits.append((m.start(), m.start() + len(m.group().rstrip(".")), "DATE", 0.6, "date:day-month-numeric"))
    numeric_starts = [s for s, e in runs if e < size and (text[e] in "./-" if e - s <= 2 else e - s == 4 and text[e] == "-")]
    for m in _matches_at(NUMERIC_DATE, text, numeric_starts):
        value = m.group().rstrip(".")
        parts = re.split(r"[./\-]\s?", value)
        nums = [int(p) for p in parts if p.isdigit()]
        if len(nums) == 3 and (nums[0] > 31 and nums[0] < 1000):
            continue
        hits.append((m.start(), m.start() + len(value), "DATE", 0.9, "date:numeric"))
    day_month, month_day, month_year, _ = _month_regexes(lang)
    for pos, end in runs:
        if end - pos > 4:
            continue  # DIGIT_RUN: runs of one to four digits
        # a day before a month name has one or two digits (month names start with a letter)
        if end - pos <= 2 and (pos == 0 or not text[pos - 1].isalnum()):
            d = day_month.match(text, pos)
            if d:
                score = 0.9 if re.search(r"\d{4}|'\d\d", d.group()[end - pos:]) else 0.75
                hits.append((pos, d.end(), "DATE", score, "date:day-month"))
        window = text[max(0, pos - 16):pos]
        before = _month_before(lang, window)
        if before is not None:
            start = pos - len(window) + before
            for rx, score, reason in ((month_day, 0.9, "date:month-day"), (month_year, 0.6, "date:month-year")):
                found = rx.match(text, start)
                if found:
                    hits.append((start, found.end(), "DATE", score, reason))
                    break
    # a year after "nació en", "born in", "año": looked up behind each year, not by scanning words
    for start, end in runs:
        if end - start != 4 or text[start:start + 2] not in ("19", "20"):
            continue  # YEAR: four digits, 1900-2099
        window = fold(text[max(0, start - 30):start])
        if YEAR_WORD_BEFORE.search(window):
            hits.append((start, end, "DATE", 0.5, "date:year"))
            continue
        cue = YEAR_BEFORE.search(window)
        if cue and cue.group(1) in _birth_cues():
            hits.append((start, end, "DATE", 0.8, "date:birth-year"))
    return hits


TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
# "http://", "www." or a domain ending, found from their "." or ":" (a first character the regex
# engine can jump to); only the whitespace-delimited chunks around these matter
URL_HINT = re.compile(r"[.:](?:(?<=(?i:www)\.)|(?<=\.)(?i:com|net|org|ru|md|al|ba|co|mx|pe|ro|hr|rs|me|io|tv|info|edu|gob|gov|us)\b"
                      r"|(?<=(?i:http):)//|(?<=(?i:https):)//)")
# the same without "://", for the many texts without it: a literal first character is faster still
URL_DOT_HINT = re.compile(r"\.(?:(?<=(?i:www)\.)|(?i:com|net|org|ru|md|al|ba|co|mx|pe|ro|hr|rs|me|io|tv|info|edu|gob|gov|us)\b)")


# a handle written without "@" ("arditi.elb", "lezha.king"): dotted lowercase words after a cue
DOTTED_HANDLE = re.compile(r"(?<![\w@./\-])[^\W\d_]\w*(?:\.\w{2,})+(?![\w@/]|\.\w)")
HANDLE_CUE = re.compile(
    r"(?i)(?:profile|profil\w*|perfil\w*|account|cuenta|llogari\w*|cont\b|contul|nalog\w*|профил\w*|аккаунт\w*|"
    r"ник\w*|instagram\w*|insta\b|ig\b|tiktok\w*|facebook\w*|fb\b|snapchat\w*|snap\b|telegram\w*|"
    r"twitter\w*|usuario|username|user|nick\w*|handle|korisni\w*|përdorues\w*|utilizator\w*)\W")
DOTTED_HINT = re.compile(r"\.(?<=\w\.)\w{2}")  # a "." between word characters; only its chunk matters
FILE_LIKE = re.compile(r"(?i).*\.(?:txt|pdf|docx?|xlsx?|jpe?g|png|gif|mp4|csv|zip|html?|exe)$")


def _chunks(text: str, positions) -> list[tuple[int, int]]:
    """The whitespace-delimited chunks holding these positions, in order, each once. Patterns that
    cannot match across whitespace are run inside these chunks only (same matches, far less text)."""
    chunks: list[tuple[int, int]] = []
    size = len(text)
    for pos in positions:
        if chunks and chunks[-1][0] <= pos < chunks[-1][1]:
            continue
        start = pos
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = pos
        while end < size and not text[end].isspace():
            end += 1
        chunks.append((start, end))
    return chunks


def _finditer_in(rx: re.Pattern, text: str, chunks: list[tuple[int, int]]):
    for start, end in chunks:
        yield from rx.finditer(text, start, end)


def _positions(text: str, needle: str):
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + 1)


def _handle_hints(text: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where a bare handle may be: each "_", and each run of two or more digits right after a
    lowercase letter or a "." ("ana_m", "user45", "ana.m03"), in text order."""
    hints = []
    for start, end in runs:
        if end - start >= 2 and start > 0:
            before = text[start - 1]
            if before.islower() or (before == "." and text[max(0, start - 2)].islower()):
                hints.append(start)
    if "_" in text:
        hints.extend(_positions(text, "_"))
        hints.sort()
    return hints


def _contact_hits(text: str, runs: list[tuple[int, int]] | None = None) -> list[Hit]:
    hits: list[Hit] = []
    dotted_hints = [m.start() for m in DOTTED_HINT.finditer(text)]
    if dotted_hints:
        for m in _finditer_in(DOTTED_HANDLE, text, _chunks(text, dotted_hints)):
            value = m.group()
            if len(value) < 6 or FILE_LIKE.match(value) or value[0].isupper() and "_" not in value \
                    and not any(c.isdigit() for c in value):
                continue
            if HANDLE_CUE.search(text, max(0, m.start() - 60), m.start()):
                hits.append((m.start(), m.end(), "CONTACT", 0.7, "handle:dotted"))
    if "@" in text:
        for m in _finditer_in(EMAIL, text, _chunks(text, _positions(text, "@"))):
            hits.append((m.start(), m.end(), "CONTACT", 0.99, "email"))
        for m in HANDLE.finditer(text):
            hits.append((m.start(), m.end(), "CONTACT", 0.9, "handle"))
    url_hints = [m.start() for m in (URL_HINT if "://" in text else URL_DOT_HINT).finditer(text)]
    if url_hints:
        for m in _finditer_in(URL, text, _chunks(text, url_hints)):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:)!?":
                end -= 1
            hits.append((m.start(), end, "CONTACT", 0.95, "url"))
    seen: set[int] = set()
    for start in _handle_hints(text, _digit_runs(text) if runs is None else runs):
        # widen the hint to the lowercase word around it, then check its shape
        while start > 0 and (text[start - 1] in TOKEN_CHARS or text[start - 1].isalnum()):
            start -= 1
        if start in seen:
            continue
        seen.add(start)
        m = BARE_HANDLE.match(text, start)
        if not m:
            continue
        value = m.group()
        if re.fullmatch(r"[a-z]+\.(?:txt|pdf|docx?|jpe?g|png|com|net|org)|[a-z]\d{1,3}", value):
            continue
        hits.append((m.start(), m.end(), "CONTACT", 0.7, "handle:bare"))
    return hits


# Russian and Transnistrian case and document numbers with Cyrillic letters, series included:
# "КУСП 4821", "I-ПР 0452318", "серия АБ № 123456", "ПМР-123456"
CYRILLIC_CODE = re.compile(r"(?<![\w\-])(?:[IVX]{1,4}-[А-ЯЁ]{1,5}|[А-ЯЁ]{2,5})(?:-[А-ЯЁ]{1,4})?(?:[ \u00a0]*(?:№|N|-)?[ \u00a0]*)\d{3,}"
                           r"(?:[/\-]\d+)*(?![\w])")


def _cyrillic_code_possible(text: str, runs: list[tuple[int, int]]) -> bool:
    """Does some run of three or more digits follow Cyrillic capitals, with only spaces and one
    "№", "N" or "-" between, as every CYRILLIC_CODE match has it? Most notes have none."""
    for start, end in runs:
        if end - start < 3:
            continue
        k = start
        while k > 0 and text[k - 1] in " \u00a0":
            k -= 1
        if k > 0 and text[k - 1] in "№N-":
            j = k - 1
            while j > 0 and text[j - 1] in " \u00a0":
                j -= 1
            if j > 0 and ("А" <= text[j - 1] <= "Я" or text[j - 1] == "Ё"):
                return True
        if k > 0 and ("А" <= text[k - 1] <= "Я" or text[k - 1] == "Ё"):
            return True
    return False


def _cyrillic_code_hits(text: str) -> list[Hit]:
    hits: list[Hit] = []
    for m in CYRILLIC_CODE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits in vocab.HELPLINES or YEAR.fullmatch(digits) or MONEY_AFTER.match(text, m.end()) or UNIT_AFTER.match(text, m.end()):
            continue
        hits.append((m.start(), m.end(), "ID", 0.7, "id:cyrillic-code"))
    return hits


def find(text: str, lang: str) -> list[Hit]:
    runs = _digit_runs(text)
    hits = _contact_hits(text, runs) + _code_hits(text, lang, runs) + _date_hits(text, lang, runs)
    if _cyrillic_code_possible(text, runs) and (lang == "ru" or re.search("[А-ЯЁ]", text)):
        hits += _cyrillic_code_hits(text)
    return hits
