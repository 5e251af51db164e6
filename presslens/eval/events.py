"""Score event coding on the PLOVER and PETRARCH2 gold sets (``shared/eval/README.md``, ``events/``).

Every gold file is a JSON Lines file of sentences. Each sentence becomes a spaCy ``Example``: the
predicted Doc carries its ``date``, when given, as the publication date (``user_data["published"]``),
the reference Doc the gold events (``reference._.presslens_events``, the shape
``presslens.analyzers.events.scorer`` documents) and, for PLOVER records, the marked actors
(``reference._.presslens_actors``); ``nlp.evaluate`` runs the pipeline up to ``presslens_events``
and its registered scorers (``presslens.events_scorer.v1``, ``presslens.actors_scorer.v1``) compute
the metrics below. The report also gives ``actors``: the share of marked actors found and the
accuracy of their country (``actors_found``, ``actors_country_acc``).
The "label" of an event is its PLOVER type for PLOVER data (2016 labels mapped: DEMAND->REQUEST,
DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE, FIGHT->ASSAULT) and the 2-digit CAMEO root for CAMEO data.

Metrics (sentence = the gold records sharing one text):

* ``accuracy``: per sentence, the label of the first predicted event of highest confidence is
  one of the gold labels; a sentence with no gold event is correct only when nothing is output.
  On ``petr2_gsr`` this is the "CAMEO root accuracy".
* ``type_recall``: gold events whose label is the label of at least one predicted event of the
  same sentence, over all gold events (actors are not required to match). On ``plover_gsr``
  this is the "PLOVER type recall" of the issue's bar.
* ``per_type``: precision, recall and F1 over (sentence, label) pairs, per label and micro.
* ``confusion``: gold label (first gold event) x predicted label (top event, or ``NONE``).
* ``dyad``: precision, recall and F1 over (source country, target country, label) triples per
  sentence; a country is the first three letters of a CAMEO actor code (gold) or of the actor's
  ``cameo`` code, else its ISO ``country`` (predicted); a missing actor is ``None``.
* PETRARCH2 unit tests (fictional actors such as ARN/GON that no real dictionary knows) are
  scored on event codes only: a test passes when the set of predicted CAMEO codes equals the
  gold set (``pass_rate``) or, leniently, when the sets of roots are equal (``root_pass_rate``);
  tests expecting no event (``expect_no_events`` or ``expected_error``) pass only when nothing
  is output. Both are reported overall and by ``category``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.training import Example

from presslens.analyzers.events.scorer import CATEGORY_KEY, KIND_KEY
from presslens.errors import UsageError

LABELS_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
_REPORT = ("kind", "sentences", "gold_events", "accuracy", "type_recall", "per_type", "micro", "confusion", "dyad",
           "pass_rate", "root_pass_rate", "by_category")


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines gold file."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err


def _country(code: str | None) -> str | None:
    """Country part (first three letters) of a CAMEO actor code."""
    return code[:3] if code else None


def gold_sentences(records: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The kind of file and its sentences: ``{text, date, id, category, gold: [{label, code, dyads}], actors}``."""
    if records and "event_type" in records[0]:
        by_text: dict[str, dict[str, Any]] = {}
        for rec in records:
            sent = by_text.setdefault(rec["text"], {"text": rec["text"], "date": rec.get("date"), "gold": [],
                                                    "id": rec["id"], "actors": {}})
            label = LABELS_2016.get(rec["event_type"], rec["event_type"])
            sources = [_country(a.get("code")) for a in rec.get("source") or []] or [None]
            targets = [_country(a.get("code")) for a in rec.get("target") or []] or [None]
            sent["gold"].append({"label": label, "code": None, "dyads": [[s, t] for s in sources for t in targets]})
            for actor in [*(rec.get("source") or []), *(rec.get("target") or [])]:
                _add_gold_actor(sent, actor)
        return "plover", list(by_text.values())
    kind = "unit" if "UnitTest" in str(records[0].get("origin", "")) else "cameo"
    sentences = []
    for rec in records:
        none = rec.get("expect_no_events") or rec.get("expected_error")
        gold = [] if none else [
            {"label": e["code"][:2], "code": e["code"], "dyads": [[_country(e.get("source")), _country(e.get("target"))]]}
            for e in rec.get("events") or []
        ]
        date = rec.get("date")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if date and len(date) == 8 and date.isdigit() else date
        sentences.append({"text": rec["text"], "date": iso, "gold": gold, "id": rec["id"], "actors": {},
                          "category": rec.get("category") or rec["id"].split("-")[0]})
    return kind, sentences


def _add_gold_actor(sent: dict[str, Any], actor: dict[str, Any]) -> None:
    """A PLOVER marked actor as a gold actor with its first mention in the text (skipped when not found)."""
    text, code = actor.get("actorText") or "", actor.get("code")
    start = sent["text"].find(text) if text else -1
    if start >= 0 and text not in sent["actors"]:
        sent["actors"][text] = {"id": text, "name": text, "cameo": code, "country": _country(code),
                                "mentions": [[start, start + len(text)]]}


def gold_examples(nlp: Language, kind: str, sentences: list[dict[str, Any]]) -> list[Example]:
    """One Example per gold sentence: the date on the predicted Doc, the gold on the reference Doc."""
    examples = []
    for sent in sentences:
        predicted, reference = nlp.make_doc(sent["text"]), nlp.make_doc(sent["text"])
        if sent.get("date"):
            predicted.user_data["published"] = sent["date"]
        reference.user_data[KIND_KEY] = kind
        reference.user_data[CATEGORY_KEY] = sent.get("category")
        reference._.presslens_events = sent["gold"]
        reference._.presslens_actors = {a["id"]: a for a in sent["actors"].values()}
        examples.append(Example(predicted, reference))
    return examples


def evaluate_events(path: Path, nlp: Language) -> dict[str, Any]:
    """Score ``nlp`` (a pipeline with ``presslens_events``) on one gold file with ``nlp.evaluate``; JSON-serialisable.

    Components after ``presslens_events`` do not change events and are left out of the run.

    Raises:
        UsageError: the file cannot be read or is not one of the documented formats (PL208).
    """
    path = Path(path)
    records = read_records(path)
    if not records or "text" not in records[0]:
        raise UsageError("PL208", path=path, detail="expected JSON Lines records with a 'text' field")
    kind, sentences = gold_sentences(records)
    names = nlp.pipe_names
    later = names[names.index("presslens_events") + 1 :] if "presslens_events" in names else []
    with nlp.select_pipes(disable=later):
        scores = nlp.evaluate(gold_examples(nlp, kind, sentences))
    report = {key: scores[f"events_{key}"] for key in _REPORT if f"events_{key}" in scores}
    if scores.get("actors_found") is not None:
        report["actors"] = {"found": scores["actors_found"], "country_acc": scores["actors_country_acc"]}
    return {"data": str(path), **report}
