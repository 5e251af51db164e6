"""Turn bytes of unknown encoding into text, refusing binary data."""

from __future__ import annotations

import charset_normalizer

from presslens.errors import BadInputError

_BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"\x7fELF": "executable",
}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes) -> str:
    """Decode ``data`` with its detected encoding (UTF-8 is tried first, never assumed).

    Raises:
        BadInputError: PL101 when empty, PL102 for binary data, PL103 when no encoding fits.
    """
    if not data.strip():
        raise BadInputError("PL101")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise BadInputError("PL102", detail=kind)
    bom_encoding = next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)
    if bom_encoding is None and b"\x00" in data[:4096]:
        raise BadInputError("PL102", detail="NUL bytes")
    try:
        text = data.decode(bom_encoding or "utf-8")
    except UnicodeDecodeError:
        if bom_encoding is not None:
            raise BadInputError("PL103") from None
        text = data.decode(_guess_encoding(data), errors="replace")
    if _control_share(text) > 0.05:
        raise BadInputError("PL102", detail="control characters")
    return text


def _guess_encoding(data: bytes) -> str:
    """The legacy encoding charset-normalizer finds cleanest, preferring Windows-1252 among equals.

    Windows-1252 is the most common legacy encoding of web text, and short samples often fit a
    rarer code page (Baltic, DOS) just as well, which would garble every accented letter.
    """
    matches = charset_normalizer.from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        raise BadInputError("PL103")
    if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches):
        return "cp1252"
    return best.encoding


def _control_share(text: str) -> float:
    """Share of characters that are C0/C1 controls other than whitespace."""
    sample = text[:20_000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    return bad / len(sample)
