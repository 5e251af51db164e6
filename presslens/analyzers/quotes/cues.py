"""Speech cues: the verbs, particles and nouns that introduce reported speech ('said', 'pointed out', 'according to')."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.knowledge.quotes import QuoteKnowledge

SUBJECTS = ("nsubj", "nsubjpass", "csubj")


class Cues:
    """Tell cue tokens by the lexicon of ``data/quotes/cues.json``."""

    def __init__(self, knowledge: QuoteKnowledge) -> None:
        self.lemmas = knowledge.cue_lemmas
        self.particles = knowledge.particles
        self.particle_required = frozenset(knowledge.particle_required)
        self.nouns = frozenset(knowledge.cue_nouns)
        self.thought_verbs = frozenset(knowledge.thought_verbs)

    def is_cue(self, token: Token) -> bool:
        """Whether a token is a speech cue: a cue verb (with its particle where required) or 'according'."""
        if token.lower_ == "according":
            return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
        if token.pos_ == "NOUN":
            return token.lemma_.lower() in self.nouns
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in self.lemmas:
            return False
        particles = self.particles.get(token.lemma_.lower(), [])
        if token.lemma_.lower() in self.particle_required:
            return any(child.dep_ == "prt" and child.lower_ in particles for child in token.children)
        return True

    def is_cue_like(self, token: Token) -> bool:
        """A cue, or any verb with a subject (the outer verb of 'denounced what X called "..."')."""
        return self.is_cue(token) or (token.pos_ == "VERB" and any(c.dep_ in SUBJECTS for c in token.children))

    def is_speech(self, token: Token) -> bool:
        """A cue that is not a verb of thinking."""
        return self.is_cue(token) and token.lemma_.lower() not in self.thought_verbs

    def is_thought(self, token: Token) -> bool:
        """A cue lemma that yields to a speech verb governing it ('said he thought "..."')."""
        return token.lemma_.lower() in self.thought_verbs


def according_object(cue: Token) -> Token | None:
    """The object of 'according to X'."""
    for to in [*cue.children, *(cue.doc[cue.i + 1 : cue.i + 2])]:
        if to.lower_ == "to":
            for child in to.children:
                if child.dep_ == "pobj":
                    return child
    return None


def cue_text(cue: Token) -> str:
    """The cue as written: the verb with its particle ('pointed out'), or 'according to'."""
    if cue.lower_ == "according":
        return f"{cue.text} to"
    particles = [c.text for c in cue.children if c.dep_ == "prt"]
    return " ".join([cue.text, *particles])
