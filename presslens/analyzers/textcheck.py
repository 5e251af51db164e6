"""presslens_textcheck: flag typos that change meaning, such as a stray letter before a number."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.component import PresslensComponent
from presslens.nlp.outputs import TextWarning

# Single letters that are words in English, or list markers, and so not stray.
_WORD_LETTERS = frozenset({"a", "A", "I", "i", "o", "O"})


class TextCheck(PresslensComponent):
    """Find stray short tokens right before a number ("resulted in n 7"), which break counts."""

    def __init__(self, nlp: Language, name: str, max_stray_chars: int) -> None:
        super().__init__(nlp, name)
        self.max_stray_chars = max_stray_chars

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """No knowledge beyond the setting: the rule is the list of one-letter words in this module."""
        return {}

    def annotate(self, doc: Doc) -> Doc:
        """Add the problems found to ``doc._.presslens_warnings`` (after the warnings earlier components set)."""
        warnings: list[TextWarning] = list(doc._.presslens_warnings or [])
        for token in doc[1:-1]:
            prev, nxt = doc[token.i - 1], doc[token.i + 1]
            stray = (
                token.is_alpha
                and len(token) <= self.max_stray_chars
                and token.text not in _WORD_LETTERS
                and nxt.like_num
                and prev.is_alpha
                and not token.is_sent_start
            )
            if stray:
                context = doc[max(0, token.i - 2) : token.i + 2].text
                warnings.append({
                    "message": f"stray token {token.text!r} before a number in {context!r}",
                    "start": token.idx,
                    "end": token.idx + len(token),
                })
        doc._.presslens_warnings = warnings
        return doc


@Language.factory(
    "presslens_textcheck",
    assigns=["doc._.presslens_warnings"],
    requires=["token.is_sent_start"],
    default_config={"max_stray_chars": 1},
)
def make_textcheck(nlp: Language, name: str, max_stray_chars: int) -> TextCheck:
    """Build the text checker (a thin, typed constructor validated from its signature)."""
    return TextCheck(nlp, name, max_stray_chars)
