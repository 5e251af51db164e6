"""Coreference inside one article: names, capitals, descriptions and gendered pronouns resolved to their actor.

One pass serves every later component: the mentions it returns become
``doc.spans["presslens_actors"]`` and ``token._.presslens_actor``, which event arguments and
quote speakers both read.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from presslens.analyzers.actors.mentions import DETERMINERS, Mention, Resolution, tokens_of
from presslens.analyzers.actors.metonymy import capital_governments
from presslens.analyzers.actors.pronouns import pronouns
from presslens.analyzers.actors.surnames import people

# Title words that are not a description of their own ("the mr"), and title abbreviations -> the word.
_NOT_DESCRIPTIONS = frozenset({"mr", "mrs", "ms", "dr", "sir", "lord", "prime", "gen", "col", "lt", "sen", "rep", "gov"})
_ABBREVIATIONS = {"sen": "senator", "gov": "governor", "rep": "representative", "gen": "general", "pres": "president"}


def resolve(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """Person names to their full form, capitals to governments, then descriptions and gendered pronouns."""
    genders = people(doc, mentions, res)
    mentions = sorted(capital_governments(doc, mentions, res), key=lambda m: m.start)
    mentions = _descriptions(doc, mentions, res)
    return sorted(mentions + pronouns(doc, mentions, res, genders), key=lambda m: m.start)


def _descriptions(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """The mentions plus definite descriptions ("the terrorist organization", "the senator") of their actors."""
    kinds = res.kb.manifest.anaphors
    titles = set(res.kb.manifest.person_titles) - _NOT_DESCRIPTIONS
    taken = tokens_of(mentions)
    resolved = list(mentions)
    owners = [doc[t.i - 1 : t.i + 1] for t in doc if t.dep_ == "poss" and t.i and doc[t.i - 1].lower_ == "the"]
    for chunk in sorted([*doc.noun_chunks, *owners], key=lambda c: c.start):
        root = chunk.root if chunk.root.dep_ != "poss" else chunk[-1]
        definite = chunk[0].lower_ in DETERMINERS - {"a", "an"}
        word = root.lower_
        if (word not in kinds and word not in titles) or root.tag_ in {"NNS", "NNPS"} or not definite:
            continue
        chunk = chunk if root.dep_ != "poss" else doc[chunk.start : root.i + 1]
        if any(t.i in taken for t in chunk) or any(t.pos_ == "PROPN" for t in chunk):
            continue
        if word in kinds:
            actor = _antecedent(root, resolved, set(kinds[word]), res)
        else:
            actor = _titled_person(root, resolved, res)
        if actor:
            resolved.append(Mention(chunk.start, chunk.end, actor, extended=True))
            resolved.sort(key=lambda m: m.start)
    return resolved


def _antecedent(root: Token, mentions: list[Mention], kinds: set[str], res: Resolution) -> str | None:
    """The apposed actor ("the terrorist organization, Hamas"), else the latest compatible one before."""
    apposed = [c.i for c in root.children if c.dep_ == "appos"] + ([root.head.i] if root.dep_ == "appos" else [])
    for mention in mentions:
        if any(mention.start <= i < mention.end for i in apposed):
            return mention.actor if res.entry(mention.actor).kind in kinds else None
    for mention in reversed(mentions):
        if mention.end <= root.i and res.entry(mention.actor).kind in kinds:
            return mention.actor
    return None


def _titled_person(root: Token, mentions: list[Mention], res: Resolution) -> str | None:
    """The latest person before "the senator" named with that title ("Sen. Jane Doe") or holding it in the dictionary."""
    doc, word = root.doc, root.lower_
    for mention in reversed(mentions):
        entry = res.entry(mention.actor)
        if mention.end > root.i or entry.kind != "person" or mention.extended:
            continue
        before = [doc[i].lower_.rstrip(".") for i in range(max(0, mention.start - 3), mention.start)]
        inside = [t.lower_.rstrip(".") for t in doc[mention.start : mention.end]]
        if word in {_ABBREVIATIONS.get(w, w) for w in before + inside}:
            return mention.actor
        if any(word in role.title.lower().split() for role in entry.roles):
            return mention.actor
    return None
