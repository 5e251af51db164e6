"""The CAMEO code of a verb: the most specific matching pattern (curated first, then PETRARCH2), else its default."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.context import SUBJECTS, Trigger, words
from presslens.knowledge.events import EventKnowledge, Pattern, VerbEntry

_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "nsubj", "nsubjpass", "cc", "punct"})


class VerbCoder:
    """Code verbs: the most specific pattern, else the default code, with each lemma's patterns indexed once.

    A pattern can only match when the words of its first object (or first pre-verb noun, or its
    preposition) occur near the verb, so only the patterns indexed under those words are tried,
    in their dictionary order (the first of the most specific wins, as when trying them all).
    """

    def __init__(self, k: EventKnowledge, block_fallback: bool, dyad_required: bool) -> None:
        self.k, self.block_fallback, self.dyad_required = k, block_fallback, dyad_required
        # Built at load for the common case (every entry of the lemma fits); other subsets when first met.
        self._groups: dict[tuple[str, tuple[int, ...]], _Groups] = {
            (lemma, tuple(range(len(known)))): _Groups(known, block_fallback) for lemma, known in k.verbs.items()}

    def code(self, verb: Token) -> Trigger | None:
        """The trigger of a verb: best curated pattern, else best PETRARCH2 pattern, else its default code."""
        lemma = verb.lemma_.lower()
        known = self.k.verbs.get(lemma)
        if not known:
            return None
        fits = tuple(i for i, e in enumerate(known) if _member_fits(e, verb))
        if not fits:
            return None
        groups = self._groups.get((lemma, fits))
        if groups is None:
            groups = self._groups[lemma, fits] = _Groups([known[i] for i in fits], self.block_fallback)
        if groups.curated.patterns or groups.petrarch.patterns:
            right = _Words(_near(verb, after=True))
            left = _Words(_near(verb, after=False))
            for group in (groups.curated, groups.petrarch):
                best, best_used = group.best(left, right)
                if best is not None:
                    if best.code is None:
                        return None
                    particles = [c for c in verb.children if c.lower_ in groups.entries[0].after]
                    shown = [t for t in best_used if 0 < t.i - verb.i <= 3]
                    curated = group is groups.curated
                    return Trigger(verb, best.code, best.reverse, 0.6, [verb, *shown, *particles],
                                   need=0 if curated else 1, origin="curated" if curated else "pattern")
        entry = groups.default
        if entry is None or entry.code is None:
            return None
        particles = [c for c in verb.children if c.lower_ in entry.after]
        is_curated = entry.default_from.startswith("curated")
        fallback = entry.default_from.endswith("(fallback)")
        strength = 0.6 if is_curated else (0.35 if fallback else 0.45)
        need = 0 if is_curated else 1 + self.dyad_required
        origin = "curated" if is_curated else ("fallback" if fallback else "default")
        return Trigger(verb, entry.code, entry.reverse, strength, [verb, *particles], need=need, origin=origin)


class _Groups:
    """The entries of a lemma that fit a verb: curated and PETRARCH2 pattern groups and the default entry."""

    def __init__(self, entries: list[VerbEntry], block_fallback: bool) -> None:
        self.entries = sorted(entries, key=lambda e: -(len(e.before) + len(e.after)))
        authoritative = any(e.default_from.startswith("curated") for e in self.entries)
        self.curated = _PatternGroup([p for e in self.entries for p in e.patterns if p.source.startswith("curated")])
        self.petrarch = _PatternGroup([] if authoritative else list(
            {id(p): p for e in self.entries for p in e.patterns if not p.source.startswith("curated")}.values()))
        defaults = [e for e in self.entries if e.default_from.startswith("curated")] if authoritative else self.entries
        self.default = next(
            (e for e in defaults if e.code and (block_fallback or not e.default_from.endswith("(fallback)"))), None)


class _PatternGroup:
    """Patterns in dictionary order, indexed by the words one of their parts needs."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.specificity = [p.specificity for p in patterns]
        self.always: list[int] = []
        self.right: dict[str, list[int]] = {}
        self.left: dict[str, list[int]] = {}
        for n, pattern in enumerate(patterns):
            if pattern.obj:
                index, keys = self.right, pattern.obj[0]
            elif pattern.pre:
                index, keys = self.left, pattern.pre[0]
            elif pattern.prep is not None:
                index, keys = self.right, [pattern.prep.split()[0]]
            else:
                self.always.append(n)
                continue
            for key in dict.fromkeys(keys):
                index.setdefault(key, []).append(n)

    def best(self, left: _Words, right: _Words) -> tuple[Pattern | None, list[Token]]:
        """The first most specific matching pattern and the tokens it used."""
        candidates = set(self.always)
        for words_near, index in ((right.all, self.right), (left.all, self.left)):
            for word in words_near:
                candidates.update(index.get(word, ()))
        best, best_used, best_specificity = None, [], -1
        for n in sorted(candidates):
            pattern = self.patterns[n]
            used = _match(pattern, left, right)
            if used is not None and self.specificity[n] > best_specificity:
                best, best_used, best_specificity = pattern, used, self.specificity[n]
        return best, best_used


def _member_fits(entry: VerbEntry, verb: Token) -> bool:
    """True when the words of a multi-word verb ("call off", "wire tap") surround the verb."""
    if entry.after:
        children = {c.lower_ for c in verb.children}
        if any(w not in children for w in entry.after):
            return False
    if not entry.before:
        return True
    doc = verb.doc
    before = [doc[i].lower_ for i in range(max(0, verb.i - len(entry.before)), verb.i)]
    return before == list(entry.before)


def _near(verb: Token, after: bool) -> list[Token]:
    """Tokens a pattern may use: the verb's phrase up to two edges down, not inside other clauses."""
    out = []
    for child in verb.children:
        if (child.i > verb.i) != after or child.dep_ in _CLAUSES and not (child.dep_ in SUBJECTS and not after):
            continue
        out.append(child)
        if child.dep_ != "prep":
            out += [g for g in child.children if g.dep_ not in _CLAUSES and (g.i > verb.i) == after]
        else:
            out += [g for g in child.subtree if g is not child]
    return sorted(out, key=lambda t: t.i)


class _Words:
    """Tokens with their lemma/lower-case forms, and the union of the forms for a quick reject."""

    def __init__(self, tokens: list[Token]) -> None:
        self.items = [(t, words(t)) for t in tokens]
        self.all: set[str] = set().union(*(w for _, w in self.items))

    def find(self, heads: list[str]) -> Token | None:
        """The first token whose forms include one of ``heads``."""
        if self.all.isdisjoint(heads):
            return None
        return next((t for t, w in self.items if not w.isdisjoint(heads)), None)


def _match(pattern: Pattern, left: _Words, right: _Words) -> list[Token] | None:
    """The tokens a pattern uses, or None when it does not match."""
    used: list[Token] = []
    for heads in pattern.pre:
        if left.find(heads) is None:
            return None
    for heads in pattern.obj:
        hit = right.find(heads)
        if hit is None:
            return None
        used.append(hit)
    if pattern.prep is not None:
        first = pattern.prep.split()[0]
        hit = right.find([first])
        if hit is None or hit.lower_ != first:
            return None
        if pattern.pobj and not any(not words(t).isdisjoint(pattern.pobj) for t in hit.subtree):
            return None
        used.append(hit)
    return used
