"""The presslens_events component: code who did what to whom (PLOVER type + CAMEO code) from the dependency parse.

For each sentence the component finds event triggers (verbs by lemma, multi-word verbs, fixed
phrases such as "will not be silent", event nouns such as "attack" or "visit"), picks the CAMEO
code from the verb/noun pattern dictionary in ``presslens/data/events/`` (curated patterns
first, then PETRARCH2's CAMEO.2.0 patterns, the most specific match winning), and maps the
arguments onto the actor mentions (``doc.spans["presslens_actors"]``, ``token._.presslens_actor``):

* source: the subject (the ``by`` agent of a passive); a pronoun or missing subject of an
  ``xcomp``/``conj``/``ccomp`` verb is taken from the governing verb, and the antecedent of a
  relative pronoun from the noun the clause modifies.
* target: the direct object, else objects of the prepositions in ``lexicon.target_preps``, else
  the subject of a ``ccomp`` ("warned that the IDF's activity ..."); a place as object ("visited
  Cairo") stands for the state actor of its country when the article has one.
* Among the actor spans inside an argument the ones closest to its head win; ``conj`` and
  ``appos`` links cost nothing, so "Hamas and Islamic Jihad" yields one event per actor.

Events whose CAMEO code has no PLOVER type (root 01, public statements) are not output; root 02
(appeals) is output as REQUEST (see ``presslens/data/events/README.md``). Reporting frames
("X reported that ...", "according to X") never become events: their actor is ``attributed_to``.

Arguments must look like actors for PETRARCH2-coded verbs (a resolved actor, a PERSON/ORG/GPE/NORP
entity or an agent noun such as "officials"); curated verbs, phrases and nouns not marked
``needs_actor`` may have neither source nor target ("the attack that occurred near ...").
Announced actions become intents (AGREE/THREATEN), "X said Y must ..." a demand of X on Y, and
"A said B attacked C" also an ACCUSE event from A to B (see the data README).

``date`` resolves the DATE/TIME entities of the trigger's clause (or of its reporting frame) with
dateparser against ``doc.user_data["published"]`` (ISO 8601; the caller sets it, e.g. the
pipeline from the article's ``published``); without it only expressions naming a year are
resolved, and "two days after ..." (relative to another event) is never resolved.

``confidence`` is a heuristic ranking, not a calibrated probability. A trigger's strength is 0.6
for a curated entry, a pattern match, a phrase or an event noun after a light verb ("launched an
attack"), 0.45 for a PETRARCH2 verb's default code and 0.35 for a block fallback or an event
noun on its own. An event scores strength + 0.15 per actor found (source, target) + 0.05 when
the trigger is the main clause's verb (-0.05 in a modifier clause or for a noun) - 0.1 when
hypothetical; the reverse event of a paired code (visit/host) scores strength + 0.2 and a
derived accusation strength + 0.3 (+ the clause term). Scores are clipped to [0.05, 0.95]; the
evaluation takes the highest-scoring event as a sentence's label.

Modules, one job each: ``triggers`` (phrases, verbs, nouns), ``patterns`` (a verb's CAMEO code),
``arguments`` (source, target, attribution, place), ``modality`` (negation, intent, obligation),
``dates``, ``deaths`` (fatalities), ``confidence``, ``coding`` (the events of one sentence),
``component`` (the factory) and ``scorer`` (``presslens.events_scorer.v1``).
"""
