"""Name normalisation shared by the knowledge bases: ASCII folding and id slugs."""

from __future__ import annotations

import re
import unicodedata

# Apostrophe-like marks dropped when folding ("Khān Yūnis", "Ma'ale Adumim").
_DROP = dict.fromkeys(map(ord, "\u2018\u2019\u02bb\u02bc\u02be\u02bf`'\u2032"), None)


def ascii_fold(text: str) -> str:
    """Drop diacritics and ayn/hamza marks ("Khān Yūnis" -> "Khan Yunis")."""
    if text.isascii() and "'" not in text and "`" not in text:
        return text
    folded = unicodedata.normalize("NFKD", text.translate(_DROP))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def slug(name: str) -> str:
    """Lower-case ASCII id of a canonical name ("Israel Defense Forces" -> "israel-defense-forces")."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-").encode("ascii", "ignore").decode()
