"""Gendered pronouns (he, she, his, her, ...) outside quotations resolved to the person they refer back to.

Candidates are the person mentions (names, and pronouns already resolved) of the last few
sentences that are not inside quotation marks: a pronoun in the narrative never refers to a
name inside a quote, and a pronoun inside a quote is the quoted speaker's word, left alone.
A candidate whose gender is known (given name, honorific, an earlier pronoun) and fits wins
over one of unknown gender; then the nearest sentence, then a subject over other roles
("Netanyahu wrote to Senator Smith. He said ..." -> Netanyahu), then the latest. An object
pronoun never takes the subject of its own verb ("Trump praised him").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from presslens.analyzers.actors.mentions import Mention, Resolution, tokens_of
from presslens.analyzers.quotes.marks import find_quotations

GENDERED = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}
WINDOW = 4  # sentences back (those wholly inside quotation marks not counted)
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "dative", "pobj"})


def quoted_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside quotation marks (marks included)."""
    inside: set[int] = set()
    for quotation in find_quotations(doc.text):
        span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
        if span is not None:
            inside.update(range(span.start, span.end))
    return inside


def pronouns(doc: Doc, mentions: list[Mention], res: Resolution, genders: dict[str, str]) -> list[Mention]:
    """Mentions of the gendered pronouns outside quotations, each of the person it refers to (``genders`` grows)."""
    quoted = quoted_tokens(doc)
    taken = tokens_of(mentions)
    sentence = _sentence_numbers(doc, quoted)
    pool = sorted((m for m in mentions if res.entry(m.actor).kind == "person" and m.start not in quoted),
                  key=lambda m: m.start)
    found: list[Mention] = []
    for token in doc:
        gender = GENDERED.get(token.lower_)
        if gender is None or token.i in quoted or token.i in taken:
            continue
        actor = _antecedent(token, gender, pool, genders, sentence)
        if actor is None:
            continue
        mention = Mention(token.i, token.i + 1, actor)
        found.append(mention)
        pool.append(mention)
        pool.sort(key=lambda m: m.start)
        genders.setdefault(actor, gender)
    return found


def _sentence_numbers(doc: Doc, quoted: set[int]) -> list[int]:
    """Per token, the number of its sentence, counting only sentences with a word outside quotation marks."""
    numbers = [0] * len(doc)
    n = 0
    for sent in doc.sents:
        if any(t.i not in quoted and t.is_alpha for t in sent):
            n += 1
        for t in sent:
            numbers[t.i] = n
    return numbers


def _antecedent(
    token: Token, gender: str, pool: list[Mention], genders: dict[str, str], sentence: list[int]
) -> str | None:
    """The actor a pronoun refers back to (see the module docstring), None when no candidate fits."""
    doc = token.doc
    here = sentence[token.i]
    best: tuple[tuple[int, ...], str] | None = None
    for mention in pool:
        if mention.end > token.i:
            break
        distance = here - sentence[mention.start]
        known = genders.get(mention.actor)
        if distance >= WINDOW or (known is not None and known != gender):
            continue
        root = doc[mention.start : mention.end].root
        if token.dep_ in _OBJECTS and root.dep_ in _SUBJECTS and _clause_verb(root) == _clause_verb(token):
            continue  # "Trump praised him": not Trump
        key = (known is not None, -distance, root.dep_ in _SUBJECTS, mention.start)
        if best is None or key > best[0]:
            best = (key, mention.actor)
    return best[1] if best else None


def _clause_verb(token: Token) -> int:
    """The index of the verb whose clause holds a token (through prepositions)."""
    node = token
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    return node.i
