"""Text normalisation, applied once on import and by `coder identify`, so offsets always agree.

Stored text is Unicode NFC with LF line ends and no byte-order mark.
"""

from __future__ import annotations

import codecs
import unicodedata

from coder.errors import CoderError

# Legacy single-byte encodings our users' files come in, tried in this order when a file is not
# UTF-8: Windows Central European (Albanian, Romanian, Bosnian), ISO Latin-2, Windows Western.
LEGACY_ENCODINGS = ("cp1250", "iso-8859-2", "cp1252")

# Characters that appear in real text in these languages (plus ASCII); a decoding that yields
# anything else (control characters, box drawing...) is probably the wrong one.
_LETTERS_OF_OUR_LANGUAGES = set(
    "áéíóúñüÁÉÍÓÚÑÜ¿¡çëÇËăâîșşțţĂÂÎȘŞȚŢčćđšžČĆĐŠŽàèìòùÀÈÌÒÙäöÄÖßêôûÊÔÛ"
    "«»“”„‘’–—…°€£•·"
)


def normalise(text: str) -> str:
    """NFC, CRLF/CR → LF, leading BOM removed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 100)


def _legacy_score(text: str) -> int:
    """How plausible a legacy decoding is: penalise characters our languages never use."""
    bad = 0
    for ch in text:
        if ord(ch) < 128 or ch in _LETTERS_OF_OUR_LANGUAGES:
            continue
        category = unicodedata.category(ch)
        bad += 3 if category.startswith("C") else 1
    return -bad


def decode(data: bytes, name: str = "file") -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
    single-byte encoding. Raises CoderError when the bytes are not text."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return normalise(data[len(codecs.BOM_UTF8):].decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CoderError(f"{name}: invalid UTF-8 after a UTF-8 byte-order mark ({exc.reason})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalise(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise CoderError(f"{name}: invalid UTF-16 text") from None
    if looks_binary(data):
        raise CoderError(f"{name}: binary file, not text")
    try:
        return normalise(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in LEGACY_ENCODINGS:
        try:
            candidates.append((_legacy_score(data.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise CoderError(f"{name}: not UTF-8, UTF-16 or a known single-byte encoding")
    score, encoding = max(candidates, key=lambda c: c[0])
    text = data.decode(encoding)
    if score < -max(3, len(text) // 50):
        raise CoderError(f"{name}: cannot tell the text encoding (save it as UTF-8 and retry)")
    return normalise(text)
