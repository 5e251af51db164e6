"""presslens_sentences: preset sentence starts where the rules are sure, before the parser splits the rest.

spaCy's parser honours ``token.is_sent_start`` when it is already True or False and decides only the
tokens left at None. The rules, in order (the first that applies decides):

1. a whitespace token never starts a sentence (it belongs to the one before);
2. the first word after a newline always does (a newline ends a paragraph, as in ``quotes.marks``);
3. punctuation that is not an opening mark never does: a closing quotation mark or bracket, a comma,
   an ellipsis belong to the sentence they close ("... he said. ” The next" keeps ” with "said.");
4. a lower-case word never does ("“We will win…” she said", "... and then"), nor the word right
   after an opening quotation mark or bracket;
5. nor does a word after anything but terminal punctuation (. ! ? …, possibly followed by closing
   marks): inside or outside a quotation, a break needs the text before it to end a sentence (the
   parser decides after an all-caps word, which may end a run-in heading);
6. nor a capitalised word after a title abbreviation ("Sen. Warren") or an initial ("G. K."),
   nor a number after a label ("Sept. 11", "No. 2"), from ``data/sentences/abbreviations.json``.

Everything else (terminal punctuation, then a capitalised word, a number or an opening mark) is left
to the parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from thinc.types import Ints2d

from presslens.analyzers.component import PresslensComponent
from presslens.knowledge.sentences import SentenceKnowledge, load_sentence_knowledge

_TERMINAL = (".", "!", "?", "\u2026")
# '' and ` (spaCy splits ``) are quotation marks too, typewriter style: ``quote'' or ''quote''.
_CLOSERS = frozenset({"\u201d", "\u2019", "\u00bb", '"', "'", "''", ")", "]", "}"})
_OPENERS = frozenset({"\u201c", "\u2018", "\u00ab", "\u201e", "`", "(", "[", "{"})
_STRAIGHT = frozenset({'"', "'", "''"})
_OPEN_CONTEXT = " \t\n([{/\u2014\u2013-"
_FLAGS = [IS_SPACE, IS_PUNCT, IS_LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, LIKE_NUM, IDX, SPACY]


@dataclass(frozen=True)
class Words:
    """A Doc's tokens as plain lists (a rule pass reading Token objects is several times slower); flags are 0 or 1."""

    words: list[str]
    space: list[int]
    punct: list[int]
    lower: list[int]
    alpha: list[int]
    title: list[int]
    upper: list[int]
    num: list[int]
    idx: list[int]
    spaced: list[int]
    openers: frozenset[int]

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The lists of ``doc``; ``openers`` holds the indices of its straight quotation marks that open a quotation."""
        columns = doc.to_array(_FLAGS).T.tolist() if len(doc) else [[] for _ in _FLAGS]
        words = [t.text for t in doc]
        space, punct, lower, alpha, title, upper, num, idx, spaced = columns
        openers = frozenset(i for i, word in enumerate(words) if word in _STRAIGHT and _opens(words, spaced, i))
        return cls(words, space, punct, lower, alpha, title, upper, num, idx, spaced, openers)


def _opens(words: list[str], spaced: list[int], i: int) -> bool:
    """Whether the straight mark ``i`` opens a quotation: after a space, bracket or dash, before a non-space (as ``quotes.marks``)."""
    before = "\n" if i == 0 else " " if spaced[i - 1] else words[i - 1][-1]
    return before in _OPEN_CONTEXT and not spaced[i] and i + 1 < len(words) and not words[i + 1][0].isspace()


def ends_sentence(w: Words, j: int) -> bool:
    """Whether token ``j`` is terminal punctuation, or closing marks after it ('win.”', 'done?)')."""
    while j >= 0 and w.words[j] in _CLOSERS:
        j -= 1
    return j >= 0 and w.words[j].endswith(_TERMINAL)


def closes(w: Words, i: int) -> bool:
    """Whether token ``i`` is punctuation that closes or continues (not an opening quotation mark or bracket)."""
    return bool(w.punct[i]) and w.words[i] not in _OPENERS and i not in w.openers


def heading_end(w: Words, j: int, i: int) -> bool:
    """Whether token ``j`` may end a run-in heading without punctuation ("SPEND A QUARTER  This step"): an all-caps word before a capitalised one."""
    return bool(w.alpha[j] and w.upper[j] and w.title[i]) and len(w.words[j]) > 1


def previous_word(w: Words, i: int) -> int:
    """Index of the last token before ``i`` that is not whitespace (-1 when there is none)."""
    j = i - 1
    while j >= 0 and w.space[j]:
        j -= 1
    return j


def paragraph_start(w: Words, i: int) -> bool:
    """Whether a newline lies between token ``i`` and the word before it, or no word precedes it (spaCy keeps any newline in a whitespace token)."""
    j = i - 1
    while j >= 0 and w.space[j]:
        if "\n" in w.words[j]:
            return True
        j -= 1
    return j < 0


def abbreviation(w: Words, j: int) -> str:
    """The lower-cased abbreviation that token ``j`` ends: 'sen.' for 'Sen.', and for 'Amb' '.' too."""
    if w.words[j] == "." and j > 0 and not w.spaced[j - 1]:
        return w.words[j - 1].lower() + "."
    return w.words[j].lower()


class SentenceRules(PresslensComponent):
    """Preset ``token.is_sent_start`` to True or False where quotation marks, ellipses and abbreviations make it sure."""

    knowledge: SentenceKnowledge
    before_name: frozenset[str]
    before_number: frozenset[str]

    def initialize(  # explicit, so spaCy validates [initialize.components.presslens_sentences]
        self, get_examples: Callable[[], Iterable[Example]] | None = None, *, nlp: Language | None = None,
        abbreviations: dict[str, Any] | None = None,
    ) -> None:
        """Load the abbreviation lists: ``abbreviations`` (the format of ``data/sentences/abbreviations.json``) or the packaged ones."""
        self._load(abbreviations=abbreviations)

    def load_data(self, abbreviations: dict[str, Any] | None = None, **_: Any) -> dict[str, Any]:
        """The abbreviation lists as a msgpack-safe dict, validated."""
        knowledge = SentenceKnowledge.model_validate(abbreviations) if abbreviations is not None else load_sentence_knowledge()
        return knowledge.model_dump(mode="json")

    def build(self) -> None:
        """The lookup sets of the lists in ``self.data``."""
        self.knowledge = SentenceKnowledge.model_validate(self.data)
        self.before_name = frozenset(self.knowledge.before_name)
        self.before_number = frozenset(self.knowledge.before_number)

    def annotate(self, doc: Doc) -> Doc:
        """Set ``token.is_sent_start`` of every token a rule is sure about; leave the others to the parser."""
        if len(doc) < 2:
            return doc
        w = Words.of(doc)
        # One array write: setting Token.is_sent_start checks the whole Doc for a parse each time.
        starts = doc.to_array([SENT_START]).astype("int64")
        for i in range(1, len(doc)):
            start = self.starts(w, i)
            if start is not None:
                starts[i] = 1 if start else -1
        doc.from_array([SENT_START], cast(Ints2d, starts.reshape(-1, 1).astype(numpy.uint64)))
        return doc

    def starts(self, w: Words, i: int) -> bool | None:
        """Whether token ``i`` starts a sentence (None: the rules are not sure, the parser decides)."""
        if w.space[i]:
            return False
        if paragraph_start(w, i):
            return True
        if closes(w, i):
            return False
        if w.lower[i] and w.words[i][0].isalpha():
            return False
        j = previous_word(w, i)
        if w.words[j] in _OPENERS or j in w.openers:
            return False
        if not ends_sentence(w, j):
            return None if heading_end(w, j, i) else False
        return False if self.continues(w, j, i) else None

    def continues(self, w: Words, j: int, i: int) -> bool:
        """Whether token ``j`` is an abbreviation or initial that the sentence goes on after, before token ``i``."""
        word = abbreviation(w, j)
        if w.num[i]:
            return word in self.before_number
        initial = len(word) == 2 and w.words[j][0].isupper()
        return w.words[i][0].isupper() and (word in self.before_name or initial)


@Language.factory(
    "presslens_sentences",
    assigns=["token.is_sent_start"],
    default_config={},
)
def make_sentences(nlp: Language, name: str) -> SentenceRules:
    """Build the sentence-boundary rules (the abbreviation lists are loaded by ``initialize``)."""
    return SentenceRules(nlp, name)
