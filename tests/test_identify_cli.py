"""`coder identify FILE...`: the stateless contract benchmarks rely on."""

from __future__ import annotations

import json
import socket

from coder.cli import app
from coder.textnorm import decode

NOTE_ES = ("Notas – P03\r\nLa participante vive con su tía Rosario Quispe en el barrio Santa Anita.\r\n"
           "Su número es +51 987 654 321 y su DNI 45871236. Denunció el 3 de marzo de 2021.\r\n")
NOTE_SQ = "Ajo tha se e motra, Mimoza Hoxha, jeton në lagjen Ali Demi në Shkodër. Numri 069 234 5678.\n"


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_jsonl_contract_offsets_slice_the_normalised_text(runner, tmp_path):
    path = tmp_path / "nota.txt"
    # a byte-order mark and CRLF line ends: offsets refer to the text after import's normalisation
    path.write_bytes(b"\xef\xbb\xbf" + NOTE_ES.encode("utf-8"))
    result = runner.invoke(app, ["identify", str(path), "--lang", "es", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    flags = _lines(result.output)
    assert flags
    text = decode(path.read_bytes())
    for flag in flags:
        assert set(flag) == {"file", "start", "end", "type", "text", "score", "reason"}
        assert flag["file"] == str(path)
        assert text[flag["start"]:flag["end"]] == flag["text"]
    found = {f["text"] for f in flags}
    assert "+51 987 654 321" in found and "45871236" in found and "3 de marzo de 2021" in found
    assert any("Rosario Quispe" in t for t in found)
    assert not any("P03" in t for t in found)


def test_offsets_of_a_utf8_lf_file_with_a_byte_order_mark_index_the_plain_string(runner, tmp_path):
    path = tmp_path / "nota.txt"
    body = NOTE_ES.replace("\r\n", "\n")
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    result = runner.invoke(app, ["identify", str(path), "--lang", "es"])
    assert result.exit_code == 0, result.output
    flags = _lines(result.output)
    plain = path.read_text(encoding="utf-8")  # keeps the mark as its first character
    assert plain.startswith("\ufeff") and flags
    for flag in flags:
        assert plain[flag["start"]:flag["end"]] == flag["text"]


def test_auto_language_per_file(runner, tmp_path):
    es, sq = tmp_path / "a.txt", tmp_path / "b.txt"
    es.write_text(NOTE_ES, encoding="utf-8")
    sq.write_text(NOTE_SQ, encoding="utf-8")
    result = runner.invoke(app, ["identify", str(es), str(sq)])  # --lang auto, --format jsonl by default
    assert result.exit_code == 0, result.output
    flags = _lines(result.output)
    assert {f["file"] for f in flags} == {str(es), str(sq)}
    assert any(f["file"] == str(sq) and f["text"] == "Mimoza Hoxha" for f in flags)


def test_table_format(runner, tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(NOTE_SQ, encoding="utf-8")
    result = runner.invoke(app, ["identify", str(path), "--lang", "sq", "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "Mimoza Hoxha" in result.output and "PERSON" in result.output


def test_user_errors_are_one_line(runner, tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(NOTE_SQ, encoding="utf-8")
    result = runner.invoke(app, ["identify", str(path), "--lang", "fr"])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["identify", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(app, ["identify", str(path), "--lang", "sq", "--model", "xx_no_such_model"])
    assert result.exit_code == 1 and "not installed" in result.output


def test_identify_runs_with_sockets_blocked(runner, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = tmp_path / "nota.txt"
    path.write_text(NOTE_ES, encoding="utf-8")
    result = runner.invoke(app, ["identify", str(path), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert any(f["text"] == "45871236" for f in _lines(result.output))
