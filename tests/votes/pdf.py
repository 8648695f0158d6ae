"""Text out of the uncompressed PDFs reportlab writes (no PDF library needed): each string
shown with Tj is decoded through its font's ToUnicode map; a move to a new line is a space."""

import re

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|[A-Za-z*']+|[-\d.]+")
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] != b"\\":
            out.append(raw[i])
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(raw[i + 1 : i + 2], raw[i + 1 : i + 2])
            i += 2
    return bytes(out)


def _cmaps(objects: dict[int, bytes]) -> dict[bytes, dict[int, str]]:
    """Font resource name → its code → text map (absent for the standard fonts)."""
    maps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F[\w+]+) (\d+) 0 R", body):
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(ref), b""))
            if unicode_ref:
                pairs = re.findall(rb"<([0-9A-F]+)> <([0-9A-F]+)>", objects[int(unicode_ref[1])])
                maps[name] = {int(c, 16): chr(int(u, 16)) for c, u in pairs}
    return maps


def pdf_text(pdf: bytes) -> str:
    objects = {int(number): body for number, body in OBJECT.findall(pdf)}
    maps, font, parts = _cmaps(objects), b"", []
    for body in objects.values():
        if b"stream" not in body or b"BT" not in body:
            continue
        tokens = TOKEN.findall(body)
        for index, token in enumerate(tokens):
            if token == b"Tf":
                font = tokens[index - 2].lstrip(b"/")
            elif token == b"Tj" and tokens[index - 1].startswith(b"("):
                codes = _unescape(tokens[index - 1][1:-1])
                table = maps.get(font)
                parts.append(
                    "".join(table.get(c, "") for c in codes) if table else codes.decode("latin-1")
                )
            elif token in (b"T*", b"Td", b"TD", b"Tm", b"ET"):
                parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts))
