"""Casualty-verb asymmetry: the words an article uses for the dead, and whose dead they are."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LEMMA, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from presslens.analyzers.framing_claims import framing_item, token_indices
from presslens.knowledge.framing import FramingKnowledge
from presslens.nlp.outputs import ActorOut, FramingOut

_SIDE_ENTS = frozenset({"NORP", "GPE"})
_POSSESSIVES = frozenset({"its", "their"})
_PLURAL = frozenset({"NNS", "NNPS"})
_PHRASE_TOKENS = 10  # the longest victim or perpetrator phrase looked at
_LOOK_BACK = 30  # tokens searched before a possessive pronoun for the group it stands for


@dataclass(frozen=True)
class Side:
    """Whose dead: the victims' group, or (``by``) the group that killed them; ``key`` compares sides."""

    by: bool
    key: str
    name: str

    def same(self, other: Side) -> bool:
        """One side: the same role and the same group ('Israel'/'Israeli', 'Calvera'/'Calveran')."""
        if self.by != other.by:
            return False
        short, long_ = sorted((self.key, other.key), key=len)
        if short == long_ or (len(short) >= 4 and long_.startswith(short)):
            return True  # 'Israel'/'Israeli', 'Calvera'/'Calveran'
        stem = short[:-1]  # 'Palestine'/'Palestinian', but not 'Iran'/'Iraqi'
        return len(short) >= 4 and long_.startswith(stem) and long_[len(stem) :] in ("an", "ian", "n")

    def describe(self) -> str:
        """The side in words: 'Jews', or 'those killed by Israel Defense Forces'."""
        return f"those killed by {self.name}" if self.by else self.name


@dataclass(frozen=True)
class DeathMention:
    """A word for the dead (character span), its tone, the phrase it stands in, and whose dead."""

    start: int
    end: int
    word: str
    tone: str
    phrase: str
    side: Side | None
    verb: bool


class Actors:
    """The article's actors with the fields that say which side an actor is on; groups are read off ``token._.presslens_actor``."""

    def __init__(self, doc: Doc) -> None:
        self.records: dict[str, ActorOut] = doc._.presslens_actors or {}
        self.state_names = {a["country"]: a["name"] for a in self.records.values()
                            if a.get("kind") == "state" and a.get("country")}

    def group(self, token: Token) -> str | None:
        """The id of the actor whose mention holds ``token``, unless a person (one person's death says nothing about a side's dead)."""
        actor_id = token._.presslens_actor
        actor = self.records.get(actor_id) if actor_id is not None else None
        if actor_id is None or (actor is not None and actor.get("kind") == "person"):
            return None
        return actor_id

    def side(self, actor_id: str, by: bool) -> Side:
        """An actor's side: its country where it has one (named after the state), else the actor itself."""
        actor = self.records.get(actor_id)
        country = actor.get("country") if actor is not None else None
        name = actor.get("name", actor_id) if actor is not None else actor_id
        if by or not country:
            return Side(by, (country or actor_id).lower(), name)
        return Side(by, country.lower(), self.state_names.get(country, name))


class CasualtyFinder:
    """Find the words for the dead with their victims and perpetrators; compare the sides' words."""

    def __init__(self, nlp: Language, knowledge: FramingKnowledge) -> None:
        self.tones: dict[str, str] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas = [w.lemma for w in knowledge.deaths.entries if w.lemma]
        for word in knowledge.deaths.entries:
            if word.lemma:
                self.tones[word.lemma] = word.tone
            else:
                self.tones[word.phrase] = word.tone  # type: ignore[index]
                self.phrases.add("DEATH", [nlp.make_doc(word.phrase)])  # type: ignore[arg-type]
        self.technique = knowledge.technique("casualty_verb_asymmetry")

    def mentions(self, doc: Doc, skip: list[tuple[int, int]]) -> list[DeathMention]:
        """Every word for the dead outside the ``skip`` character ranges (quotations)."""
        actors = Actors(doc)
        words = token_indices(doc, {LEMMA: self.lemmas, POS: ["VERB", "NOUN", "ADJ"]})
        found = [(doc[i : i + 1], self.tones[doc[i].lemma_]) for i in words]
        found += [(doc[s:e], self.tones[doc[s:e].text.lower()]) for _, s, e in self.phrases(doc)]
        result = []
        for span, tone in found:
            if any(lo <= span.start_char < hi for lo, hi in skip):
                continue
            victims, perpetrators = _participants(span.root)
            side = self._side(victims, actors, by=False) or self._side(perpetrators, actors, by=True)
            if not any(t.tag_ in _PLURAL or t.like_num for t in [*victims, span.root]):
                side = None  # one person's death is not a side's dead
            tokens = sorted({t.i for t in [*victims, *span, *perpetrators]})
            phrase = doc[tokens[0] : tokens[-1] + 1].text if tokens[-1] - tokens[0] < 2 * _PHRASE_TOKENS else span.text
            verb = span.root.pos_ == "VERB"
            result.append(DeathMention(span.start_char, span.end_char, span.text, tone, phrase, side, verb))
        return result

    def _side(self, tokens: list[Token], actors: Actors, by: bool) -> Side | None:
        """The group a phrase names: an actor, a nationality or place entity, or what 'its'/'their' points to."""
        for token in tokens:
            group = actors.group(token)
            if group is not None:
                return actors.side(group, by)
        for token in tokens:
            if token.ent_type_ in _SIDE_ENTS:
                return Side(by, token.text.lower(), token.text)
        for token in tokens:
            if token.lower_ in _POSSESSIVES:
                return self._antecedent(token, actors, by)
        return None

    def _antecedent(self, pronoun: Token, actors: Actors, by: bool) -> Side | None:
        """The nearest group named before a possessive pronoun in its sentence."""
        for token in reversed(pronoun.doc[max(0, pronoun.i - _LOOK_BACK) : pronoun.i]):
            group = actors.group(token)
            if group is not None:
                return actors.side(group, by)
            if token.ent_type_ in _SIDE_ENTS:
                return Side(by, token.text.lower(), token.text)
            if token.is_sent_start:
                return None
        return None

    def asymmetries(self, mentions: list[DeathMention]) -> list[FramingOut]:
        """One item per loaded word for a side's dead where a different side's dead get a neutral word."""
        sided = [m for m in mentions if m.side is not None]
        items = []
        for mention in sided:
            if mention.tone == "neutral":
                continue
            others = [o for o in sided if o.tone == "neutral" and not _same_side(o, mention)]
            if not others:
                continue
            contrasts: list[DeathMention] = []
            for other in sorted(others, key=lambda o: o.verb != mention.verb):  # a verb is best contrasted with a verb
                if not any(_same_side(other, c) for c in contrasts):
                    contrasts.append(other)
            versus = "; ".join(f"'{c.word}' for {_whose(c)} ('{c.phrase}')" for c in contrasts[:2])
            note = (f"'{mention.word}' is used for {_whose(mention)} ('{mention.phrase}'), {versus}: "
                    "the word depends on whose dead")
            items.append(framing_item("casualty_verb_asymmetry", mention.start, mention.end, mention.word, note,
                                      technique=self.technique))
        return items


def _whose(mention: DeathMention) -> str:
    """Whose dead a mention names, in words."""
    return mention.side.describe() if mention.side is not None else "unknown"


def _same_side(a: DeathMention, b: DeathMention) -> bool:
    """Whether two mentions name the same side's dead (victims of one group, or killed by one group)."""
    return a.side is not None and b.side is not None and a.side.same(b.side)


def _participants(word: Token) -> tuple[list[Token], list[Token]]:
    """Tokens naming the victims and the perpetrators of a word for the dead."""
    victims: list[Token] = []
    perpetrators: list[Token] = []
    children = list(word.children)
    for child in children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            perpetrators += _phrase(next((c for c in child.children if c.dep_ == "pobj"), None))
        elif child.dep_ in ("nsubjpass", "dobj") and child.tag_ not in ("WDT", "WP"):
            victims += _phrase(child)
        elif child.dep_ == "nsubj" and word.pos_ == "VERB":
            if any(c.dep_ == "dobj" for c in children):
                perpetrators += _phrase(child)
            else:
                victims += _phrase(child)  # 'soldiers died', 'they lost their lives'
        elif word.pos_ == "NOUN" and child.dep_ in ("amod", "compound", "poss", "nmod"):
            victims += _phrase(child)
        elif word.pos_ == "NOUN" and child.dep_ == "prep" and child.lower_ == "of":
            victims += _phrase(next((c for c in child.children if c.dep_ == "pobj"), None))
    if not victims and word.dep_ in ("acl", "amod", "relcl") and word.head.pos_ in ("NOUN", "PROPN"):
        head = word.head
        victims = [t for t in head.lefts if t.i != word.i and word.i not in {s.i for s in t.subtree}] + [head]
        victims = [t for v in victims for t in (v.subtree if v.i != head.i else [v])]
    return victims[:_PHRASE_TOKENS], perpetrators[:_PHRASE_TOKENS]


def _phrase(head: Token | None) -> list[Token]:
    """The tokens of a noun phrase (its subtree), or none."""
    return list(head.subtree) if head is not None else []
