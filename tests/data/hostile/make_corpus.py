"""Writes the hostile-input corpus next to this file: ``python tests/data/hostile/make_corpus.py``.

Every input is made here (none is copied from anywhere), and ``manifest.json`` says what each
must become: ``report:<id>`` (``report:sha1`` for an id taken from the content) or
``error:<code>``, one a result in input order. ``tests/test_hostile_corpus.py`` reads every file
through every reader path (as a file and as stdin) and every exporter, so a new reader or
exporter is checked against all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
TEXT = "Two people were killed when shelling hit a market in Kharkiv on Monday, police said."


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def long_lines(n: int, size: int) -> str:
    body = (TEXT + " ") * (size // len(TEXT) + 1)
    return "".join(line(id=f"r{i}", text=f"Report {i}. {body[:size]}") for i in range(n))


def main() -> None:
    files: dict[str, bytes] = {}
    expect: dict[str, list[str]] = {}
    notes: dict[str, str] = {}

    def add(name: str, data: bytes, outcome: list[str], note: str) -> None:
        files[name], expect[name], notes[name] = data, outcome, note

    for size in (4_090, 4_096, 6_200, 70_000):
        add(f"long_first_line_{size}.jsonl", long_lines(3, size).encode(),
            ["report:r0", "report:r1", "report:r2"],
            f"JSONL lines of about {size} bytes: longer than any sniff window")
    add("no_newline_at_end.jsonl", long_lines(2, 5_000).rstrip("\n").encode(),
        ["report:r0", "report:r1"], "the last line has no newline")
    add("crlf_and_blank_lines.jsonl",
        ("\r\n".join([line(id="a", text=TEXT).strip(), "", "   ",
                      line(id="b", text=TEXT + " Later.").strip()]) + "\r\n").encode(),
        ["report:a", "report:b"], "CRLF line ends and blank lines between reports")
    jsonl = line(id="u1", text=TEXT + " Харків.") + line(id="u2", text=TEXT)
    add("utf16_bom.jsonl", jsonl.encode("utf-16"), ["report:u1", "report:u2"],
        "UTF-16 with a BOM")
    add("utf16le_no_bom.jsonl", jsonl.encode("utf-16-le"), ["report:u1", "report:u2"],
        "UTF-16 little-endian without a BOM")
    add("utf16be_no_bom.jsonl", jsonl.encode("utf-16-be"), ["report:u1", "report:u2"],
        "UTF-16 big-endian without a BOM")
    add("utf8_bom.jsonl", b"\xef\xbb\xbf" + jsonl.encode(), ["report:u1", "report:u2"],
        "UTF-8 with a BOM")
    add("utf16.txt", (TEXT * 3).encode("utf-16"), ["report:sha1"], "UTF-16 text")
    add("cp1252.txt", ("Caf\u00e9 owners said " + TEXT).encode("cp1252"), ["report:sha1"],
        "Windows-1252 text")
    add("number_ids.jsonl", (line(id=42, text=TEXT) + line(id=7.5, text=TEXT + " Again.")
                             + line(id=True, text=TEXT) + line(id=None, text=TEXT + " X.")
                             ).encode(),
        ["report:42", "report:7.5", "error:E007", "report:sha1"], "ids that are not strings")
    add("stray_controls.jsonl", line(id="nul", text=TEXT + "\x00\x1b[31m" + TEXT).encode(),
        ["report:nul"], "a NUL and an escape sequence in good text")
    add("stray_nul.txt", (TEXT + "\x00" + TEXT).encode(), ["report:sha1"], "one NUL in text")
    add("binary.bin", bytes(range(256)) * 64, ["error:E002"], "binary data")
    add("mostly_controls.txt", ("\x01\x02\x03\x04abc" * 500).encode(), ["error:E002"],
        "control characters everywhere")
    add("empty.txt", b"", ["error:E001"], "nothing")
    add("whitespace.txt", b" \n\t\r\n  ", ["error:E001"], "only whitespace")
    add("bad_lines.jsonl",
        (line(id="ok1", text=TEXT) + "{broken\n" + "[1, 2]\n" + '"a string"\n'
         + line(id="no-text") + line(id="bad-date", text=TEXT, published="2023-02-30")
         + line(id="ok2", text=TEXT + " Later.")).encode()
        + b'{"id": "latin1", "text": "caf\xe9"}\n',
        ["report:ok1", "error:E006", "error:E006", "error:E006", "error:E007", "error:E008",
         "report:ok2", "error:E004"], "bad lines in place, the good ones around them kept")
    add("duplicate_ids.jsonl", (line(id="dup", text=TEXT) + line(id="dup", text=TEXT + " No.")
                                ).encode(),
        ["report:dup", "report:dup"], "one id, two texts (ingest refuses the second: E014)")
    add("formula_fields.jsonl",
        (line(id="=HYPERLINK(\"http://evil.example\",\"click\")", text=TEXT,
              source="@SUM(1+1)*cmd|' /C calc'!A0", url="+cmd", title="-2+3")
         + line(id="\t=1+1", text=TEXT + " Again.", source="\r=cmd", url="=1")).encode(),
        ["report:=HYPERLINK(\"http://evil.example\",\"click\")", "report:\t=1+1"],
        "fields a spreadsheet would run as formulas")
    add("brace_text.txt", ("{Editor's note} " + TEXT).encode(), ["report:sha1"],
        "text that starts like JSON")
    add("page.html", (f"<html><head><title>T</title><script>alert(1)</script></head><body>"
                      f"<p>{TEXT}</p><p>{TEXT}</p></body></html>").encode(), ["report:sha1"],
        "an HTML page with a script")
    add("killed_repeated.txt", ("killed " * 1000).encode(), ["report:sha1"],
        "adversarial repetition (the pipeline must stay within its time budget)")
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    manifest = [{"file": name, "expect": expect[name], "note": notes[name]} for name in files]
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


if __name__ == "__main__":
    main()
