from __future__ import annotations

import spacy

from presslens.analyzers.textcheck import TextCheck


def _doc(words: list[str]) -> spacy.tokens.Doc:
    nlp = spacy.blank("en")
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc[0].is_sent_start = True
    for token in doc[1:]:
        token.is_sent_start = False
    return doc


def _check() -> TextCheck:
    return TextCheck(spacy.blank("en"), "presslens_textcheck", max_stray_chars=1)


def test_textcheck_flags_stray_letter_before_number() -> None:
    doc = _check()(_doc("which resulted in n 7 murdered".split()))
    assert doc._.presslens_warnings == [
        {"message": "stray token 'n' before a number in 'resulted in n 7'", "start": 18, "end": 19}
    ]


def test_textcheck_ignores_real_one_letter_words_and_units() -> None:
    check = _check()
    assert check(_doc("he bought a 3 kg bag".split()))._.presslens_warnings == []
    assert check(_doc("so I 2 think".split()))._.presslens_warnings == []
    assert check(_doc("in 2024 x".split()))._.presslens_warnings == []


def test_textcheck_works_without_sentence_boundaries_and_saves_nothing_but_its_setting(tmp_path) -> None:
    check = _check()
    doc = spacy.tokens.Doc(check.vocab, words="which resulted in n 7 murdered".split())
    assert [w["start"] for w in check(doc)._.presslens_warnings] == [18]
    check.to_disk(tmp_path)
    assert _check().from_disk(tmp_path).data == {}
