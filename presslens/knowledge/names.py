"""Name normalisation shared by the knowledge bases: ASCII folding, id slugs and actor ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Apostrophe-like marks dropped when folding ("Khān Yūnis", "Ma'ale Adumim").
_DROP = dict.fromkeys(map(ord, "\u2018\u2019\u02bb\u02bc\u02be\u02bf`'\u2032"), None)
_NOT_WORD = re.compile(r"[\W_]+")


def ascii_fold(text: str) -> str:
    """Drop diacritics and ayn/hamza marks ("Khān Yūnis" -> "Khan Yunis")."""
    if text.isascii() and "'" not in text and "`" not in text:
        return text
    folded = unicodedata.normalize("NFKD", text.translate(_DROP))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def slug(name: str) -> str:
    """Lower-case ASCII id of a canonical name ("Israel Defense Forces" -> "israel-defense-forces")."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-").encode("ascii", "ignore").decode()


def actor_id(name: str) -> str:
    """A non-empty actor id for a name in any script, distinct for distinct names.

    The ASCII slug when folding keeps every letter ("Médecins Sans Frontières" ->
    "medecins-sans-frontieres"); else the slug keeps the Unicode letters ("Владимир Путин" ->
    "владимир-путин"), and a name with no letter or digit at all gets a short hash of itself.
    """
    folded = ascii_fold(name).lower()
    ident = slug(name) if folded.isascii() else _NOT_WORD.sub("-", folded).strip("-")
    return ident or "actor-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
