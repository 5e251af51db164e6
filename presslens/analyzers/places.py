"""presslens_places: geocode place mentions to gazetteer places and correct the NER labels of known places."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from presslens.analyzers.actors.metonymy import government_country
from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.knowledge.places import Gazetteer, Place, gazetteer_from_data, load_capitals, packaged_place_data

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words before a name that make a GeoNames city the model tagged PERSON/ORG a place ("shelled Kharkiv").
_LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "outside", "around", "across", "toward", "towards"})
SPAN_KEY = "presslens_places"


def _locative(span: Span) -> bool:
    """Whether a name follows a locative preposition, directly or through coordination ("in Khartoum and Omdurman")."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in _LOCATIVE:
        return True
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE


def _core(span: Span) -> tuple[int, int]:
    """Token bounds of an entity without leading determiners/quotes and trailing quotes/possessives."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_quote or doc[start].tag_ == "DT"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_quote or doc[end - 1].tag_ == "POS"):
        end -= 1
    return start, end


class PlaceResolver(PresslensComponent):
    """Find place names (gazetteer matches and NER GPE/LOC/FAC entities) and resolve each to one place."""

    def __init__(
        self, nlp: Language, name: str, min_population: int, country_weight: float, relabel_ents: bool,
        scorer: Scorer | None = None,
    ) -> None:
        super().__init__(nlp, name, scorer)
        self.tokenizer = nlp.tokenizer
        self.country_weight = country_weight
        self.min_population = min_population
        self.relabel_ents = relabel_ents

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The packaged place files (places.yaml, cities.tsv, countries.tsv, us_states.tsv), parsed."""
        return packaged_place_data()

    def build(self) -> None:
        """The gazetteer (validated) and the phrase matchers of its names, case-sensitive and folded."""
        assert self.data is not None
        self.gazetteer: Gazetteer = gazetteer_from_data(self.data)
        self.exact = PhraseMatcher(self.vocab, attr="ORTH")
        self.folded = PhraseMatcher(self.vocab, attr="LOWER")
        by_matcher: dict[bool, list[str]] = defaultdict(list)
        for match_name in self.gazetteer.match_names:
            by_matcher[match_name.case_sensitive].append(match_name.text)
        for sensitive, matcher in ((True, self.exact), (False, self.folded)):
            matcher.add(SPAN_KEY, [self.tokenizer(name) for name in by_matcher[sensitive]])

    def annotate(self, doc: Doc) -> Doc:
        """Fill ``doc.spans["presslens_places"]``, ``doc._.presslens_places`` and ``token._.presslens_place``; relabel known places."""
        found: list[tuple[Span, list[Place]]] = []
        claimed = self._matches(doc)
        for span in claimed:
            found.append((span, self.gazetteer.lookup(span.text)))
        taken = {i for span in claimed for i in range(span.start, span.end)}
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS or any(i in taken for i in range(ent.start, ent.end)):
                continue
            start, end = _core(ent)
            span = doc[start:end]
            candidates = self.gazetteer.lookup(span.text) if len(span) else []
            if candidates:
                found.append((span, candidates))
        if self.relabel_ents:
            self._relabel(doc, [span for span, _ in found])
        capitals = load_capitals()  # a capital standing for its government ("Moscow said") is an actor, not a place
        self._assign(doc, [(span, places) for span, places in found if government_country(span, capitals) is None])
        return doc

    def _matches(self, doc: Doc) -> list[Span]:
        """Gazetteer matches kept after the entity checks, longest first where they overlap."""
        spans = [doc[s:e] for _, s, e in self.exact(doc) + self.folded(doc)]
        kept = []
        for span in filter_spans(spans):
            candidates = self.gazetteer.lookup(span.text)
            if candidates and self._accept(span, candidates):
                kept.append(span)
        return kept

    def _accept(self, span: Span, candidates: list[Place]) -> bool:
        """Whether a match is a place: not inside a longer entity, and for GeoNames cities, tagged as a name."""
        curated = any(p.curated for p in candidates)
        doc = span.doc
        overlapping = [e for e in doc.ents if e.start < span.end and span.start < e.end]
        for ent in overlapping:
            start, end = _core(ent)
            if start < span.start or end > span.end:
                return False  # part of a longer entity ("The Jerusalem Post")
            if not curated and ent.label_ not in PLACE_LABELS and not _locative(span):
                return False
        if curated or overlapping:
            return True
        big = max(p.population for p in candidates) >= self.min_population
        return big and all(t.tag_ in ("NNP", "NNPS") for t in span)

    def _relabel(self, doc: Doc, spans: list[Span]) -> None:
        """Make each place span an entity, replacing the entities it covers (other entities are kept)."""
        new_ents = []
        covered: set[int] = set()
        for span in spans:
            inside = [e for e in doc.ents if e.start < span.end and span.start < e.end]
            if len(inside) == 1 and inside[0].label_ in PLACE_LABELS and _core(inside[0]) == (span.start, span.end):
                continue  # the model already has it right
            label = next((e.label_ for e in inside if e.label_ in PLACE_LABELS), None)
            label = label or self.gazetteer.lookup(span.text)[0].label
            new_ents.append(Span(doc, span.start, span.end, label=label))
            covered.update(i for e in inside for i in range(e.start, e.end))
        if new_ents:
            kept = [e for e in doc.ents if not any(i in covered for i in range(e.start, e.end))]
            doc.ents = filter_spans(new_ents + kept)

    def _assign(self, doc: Doc, found: list[tuple[Span, list[Place]]]) -> None:
        """Pick one place per mention: a state named right after it, else weighted population (data README)."""
        countries = {self.gazetteer.country_of(e.text) for e in doc.ents if e.label_ == "GPE"}
        countries.update(c[0].country for _, c in found if len(c) == 1)
        countries.discard(None)
        places: dict[str, dict[str, Any]] = {}
        group = []
        for span, candidates in sorted(found, key=lambda f: f[0].start):
            near = self._country_after(span)
            place = max(candidates, key=lambda p: (
                near is not None and p.country == near,
                p.population * (self.country_weight if p.country in countries else 1) * (10 if p.curated else 1),
            ))
            entry = places.setdefault(place.id, {**place.record(), "alt_names": [], "mentions": []})
            if span.text not in entry["alt_names"]:
                entry["alt_names"].append(span.text)
            entry["mentions"].append([span.start_char, span.end_char])
            group.append(Span(doc, span.start, span.end, label=place.id))
            for token in span:
                token._.presslens_place = place.id
        doc.spans[SPAN_KEY] = group
        doc._.presslens_places = places

    def _country_after(self, span: Span) -> str | None:
        """The country of a state or country named right after a place ("Derry, New Hampshire" -> USA)."""
        doc = span.doc
        if span.end + 1 >= len(doc) or doc[span.end].text != ",":
            return None
        ent = next((e for e in doc.ents if e.start == span.end + 1 and e.label_ == "GPE"), None)
        if ent is None:
            return None
        country = self.gazetteer.country_of(ent.text)
        if country is None:
            states = [p for p in self.gazetteer.lookup(ent.text) if p.kind == "state"]
            country = states[0].country if states else None
        return country


@Language.factory(
    "presslens_places",
    assigns=["doc._.presslens_places", "token._.presslens_place", "doc.spans", "doc.ents"],
    requires=["doc.ents", "token.tag", "token.dep"],
    default_config={"min_population": 15000, "country_weight": 5.0, "relabel_ents": True},
)
def make_places(
    nlp: Language, name: str, min_population: int, country_weight: float, relabel_ents: bool
) -> PlaceResolver:
    """Build the place resolver (a thin, typed constructor validated from its signature).

    Args:
        nlp: The pipeline (its tokenizer builds the name patterns).
        name: The component name.
        min_population: Smallest GeoNames city matched in the text without an NER place entity around it.
        country_weight: Factor on the population of same-name cities in a country the article names.
        relabel_ents: Whether known places tagged with another label (or split) are made GPE/LOC/FAC entities.
    """
    return PlaceResolver(nlp, name, min_population, country_weight, relabel_ents)
