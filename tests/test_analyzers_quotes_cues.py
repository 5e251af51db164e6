from __future__ import annotations

import spacy
from spacy.tokens import Doc

from presslens.analyzers.quotes.cues import Cues, according_object, cue_text
from presslens.knowledge.quotes import load_quote_knowledge

VOCAB = spacy.blank("en").vocab


def _doc(words: list[str], heads: list[int], deps: list[str], pos: list[str], lemmas: list[str]) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_analyzers_quotes_cues_phrasal_cue_needs_its_particle() -> None:
    cues = Cues(load_quote_knowledge())
    out = _doc(["He", "pointed", "out", "flaws"], [1, 1, 1, 1], ["nsubj", "ROOT", "prt", "dobj"],
               ["PRON", "VERB", "ADP", "NOUN"], ["he", "point", "out", "flaw"])
    bare = _doc(["He", "pointed", "there"], [1, 1, 1], ["nsubj", "ROOT", "advmod"], ["PRON", "VERB", "ADV"],
                ["he", "point", "there"])
    assert cues.is_cue(out[1]) and cue_text(out[1]) == "pointed out"
    assert not cues.is_cue(bare[1])
    assert cues.is_cue_like(bare[1])  # a verb with a subject: the outer verb of 'what X called "..."'


def test_analyzers_quotes_cues_according_to_nouns_and_thought_verbs() -> None:
    cues = Cues(load_quote_knowledge())
    doc = _doc(["According", "to", "police", ",", "she", "thought", "the", "claim", "false"],
               [5, 0, 1, 5, 5, 5, 7, 8, 5], ["prep", "prep", "pobj", "punct", "nsubj", "ROOT", "det", "nsubj", "ccomp"],
               ["VERB", "ADP", "NOUN", "PUNCT", "PRON", "VERB", "DET", "NOUN", "ADJ"],
               ["accord", "to", "police", ",", "she", "think", "the", "claim", "false"])
    according = doc[0]
    assert cues.is_cue(according) and cue_text(according) == "According to"
    obj = according_object(according)
    assert obj is not None and obj.i == 2
    assert cues.is_cue(doc[7])  # 'the claim that ...' introduces speech
    assert cues.is_cue(doc[5]) and cues.is_thought(doc[5]) and not cues.is_speech(doc[5])
