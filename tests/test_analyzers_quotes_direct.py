"""Direct and mixed quotes on the real parse (the configured pipeline)."""

from __future__ import annotations

from spacy.language import Language

from presslens.nlp.outputs import QuoteOut


def _quotes(nlp: Language, text: str) -> list[QuoteOut]:
    return nlp(text)._.presslens_quotes["quotes"]


def test_analyzers_quotes_direct_mixed_quote_spans_the_paraphrase(nlp: Language) -> None:
    [quote] = _quotes(nlp, 'Joe Biden said the talks were "productive and frank" but gave no details.')
    assert (quote["text"], quote["kind"], quote["speaker"], quote["cue"]) == (
        'the talks were "productive and frank"', "mixed", "joe-biden", "said"
    )


def test_analyzers_quotes_direct_scare_quotes_and_titles_are_not_quotes(nlp: Language) -> None:
    assert _quotes(nlp, 'The so-called "experts" disagree, and the "review" was delayed.') == []
    assert _quotes(nlp, 'She is reading "One Hundred Years of Solitude" again.') == []


def test_analyzers_quotes_direct_colon_and_paragraph_continuation(nlp: Language) -> None:
    text = 'The mayor warned: "This is the last chance.\n\n"We cannot wait for another flood."'
    assert [(q["text"], q["cue"], q["speaker_span"]) for q in _quotes(nlp, text)] == [
        ('"This is the last chance.', "warned", [0, 9]),
        ('"We cannot wait for another flood."', "warned", [0, 9]),
    ]


def test_analyzers_quotes_direct_one_word_without_speech_verb_is_no_quote(nlp: Language) -> None:
    text = 'Burton thinks that cats are "cuties". Images of the "heroes" were shared online.'
    assert [q["kind"] for q in _quotes(nlp, text)] == ["indirect"]  # what Burton thinks, not a quotation
