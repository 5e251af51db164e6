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
pipeline from the article's ``published``): weekdays ("on Tuesday", the latest such day on or before
it, the next one for announced events), "yesterday", "last week", "earlier this month" and "next year";
"two days later" counts from the last earlier date in the text. Without ``published`` only
expressions naming a year are resolved.

``confidence`` is the learned verifier's calibrated probability that the event is real and of its
type (``verifier``, model card in ``presslens/data/events/README.md``); events below ``min_confidence``
(by default the threshold the weights file recommends, chosen for precision by cross-validation) are
dropped. With ``verifier = false`` it is the heuristic ranking score of ``confidence``: the trigger's
strength + 0.15 per actor found + the clause term - 0.1 when hypothetical.

PETRARCH2-coded verbs need an actor as source (a resolved actor or a named or agent subject; a bare
pronoun is not enough) and pass the verb-sense constraints of ``data/events/senses.jsonl``
("take the time", "took to the stage" and "called him a liar" are not coded as seizures or calls).
``hypothetical`` marks modals, capability, expectation, purpose, conditionals, questions and speculation
("would" inside reported speech is an announced intent instead); ``background`` marks events dated more
than 30 days before ``published`` or told as past context (past perfect, "years ago", an earlier year).
Sentences about sports and entertainment (``data/events/discards.jsonl``) are not coded, and two events of
one type and dyad in a sentence, or a reversed double, are merged into one.

Modules, one job each: ``triggers`` (phrases, verbs, nouns), ``patterns`` (a verb's CAMEO code),
``arguments`` (source, target, attribution, place), ``modality`` (negation, intent, obligation),
``senses`` (verb-sense checks), ``discards`` (sports and entertainment), ``background``, ``dedup``
(merging), ``dates``, ``deaths`` (fatalities), ``confidence``, ``verifier`` (the learned verifier),
``coding`` (the events of one sentence),
``component`` (the factory) and ``scorer`` (``presslens.events_scorer.v1``).
"""
