"""Turn bytes of unknown encoding into text, refusing binary data."""

from __future__ import annotations

import re

import charset_normalizer
from charset_normalizer.md import mess_ratio

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
# C0 controls other than tab, line feed, form feed and carriage return; DEL; C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HEAD = 4096  # bytes looked at for NULs and the UTF-16 byte pattern
# UTF-16 without a byte order mark: at least this share of code units has a NUL high byte (any text
# with ASCII spaces and punctuation), at most this share a NUL low byte, and the decode reads cleanly.
_UTF16_MIN_NUL_HIGH = 0.10
_UTF16_MAX_NUL_LOW = 0.01
_MAX_MESS = 0.2  # charset-normalizer's own bar for a clean decode


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
    if bom_encoding is None and b"\x00" in data[:_HEAD]:
        text = _utf16_without_bom(data)
        if text is None:
            raise BadInputError("PL102", detail="NUL bytes")
    else:
        text = _decode(data, bom_encoding)
    if _control_share(text) > 0.05:
        raise BadInputError("PL102", detail="control characters")
    return text


def _decode(data: bytes, bom_encoding: str | None) -> str:
    """Decode with the byte order mark's encoding, else UTF-8, else the best legacy guess."""
    try:
        return data.decode(bom_encoding or "utf-8")
    except UnicodeDecodeError:
        if bom_encoding is not None:
            raise BadInputError("PL103") from None
        return data.decode(_guess_encoding(data), errors="replace")


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 text of ``data`` when NULs sit in every other byte and it decodes to clean text."""
    units = min(len(data), _HEAD) // 2
    if units == 0:
        return None
    head = data[: 2 * units]
    nul_even, nul_odd = head[0::2].count(0) / units, head[1::2].count(0) / units
    if min(nul_even, nul_odd) > _UTF16_MAX_NUL_LOW or max(nul_even, nul_odd) < _UTF16_MIN_NUL_HIGH:
        return None
    try:
        text = data.decode("utf-16-le" if nul_odd > nul_even else "utf-16-be")
    except UnicodeDecodeError:  # an odd length or a lone surrogate: not UTF-16 after all
        return None
    return text if mess_ratio(text[:_HEAD], _MAX_MESS) < _MAX_MESS else None


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
    return len(_CONTROLS.findall(sample)) / len(sample)
