"""Decoding bytes: UTF-16 without a byte order mark is text, NUL-laden binary is not."""

from __future__ import annotations

import pytest

from presslens.errors import BadInputError
from presslens.ingest.decode import decode_bytes

ENGLISH = "The storm hit the coast on Sunday, officials said.\nResidents were told to stay indoors.\n"
RUSSIAN = "Шторм обрушился на побережье в воскресенье, заявили чиновники. Жителям велели оставаться дома.\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ENGLISH, RUSSIAN, ENGLISH + RUSSIAN])
def test_decode_utf16_without_bom(encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data",
    [
        b"abc\x00\x01\x02" * 100,  # NULs every sixth byte: decodes to a jumble of CJK and Latin
        ENGLISH.encode("utf-16-le") + b"!",  # odd length
        b"\x00",
        b"name\x00value\x00" * 50,  # NUL-separated fields
    ],
)
def test_decode_nul_bytes_that_are_not_utf16_are_binary(data: bytes) -> None:
    with pytest.raises(BadInputError) as info:
        decode_bytes(data)
    assert str(info.value) == "[PL102] binary input: the bytes are not text (NUL bytes)"


def test_decode_control_characters_are_binary() -> None:
    with pytest.raises(BadInputError) as info:
        decode_bytes(b"text \x01\x02\x03\x04\x05\x06 and more" * 10)
    assert info.value.code == "PL102" and "control characters" in info.value.message
