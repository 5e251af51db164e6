"""Score event coding on the PLOVER, PLV and PETRARCH2 gold sets (``shared/eval/README.md``, ``events/``), with or without cross-validation.

Every gold file is a JSON Lines file of sentences. Each sentence becomes a spaCy ``Example``: the
predicted Doc carries its ``date``, when given, as the publication date (``user_data["published"]``),
the reference Doc the gold events (``reference._.presslens_events``, the shape
``presslens.analyzers.events.scorer`` documents) and, for PLOVER records, the marked actors
(``reference._.presslens_actors``); ``nlp.evaluate`` runs the pipeline up to ``presslens_events``
and its registered scorers (``presslens.events_scorer.v1``, ``presslens.actors_scorer.v1``) compute
the metrics below. The report also gives ``actors``: the share of marked actors found and the
accuracy of their country (``actors_found``, ``actors_country_acc``).
Without folds the configured pipeline is scored as it ships, with its verifier (``verifier`` in the
report names the files it was trained on: on those files the figures are in-sample).
``cross_validate_events`` (``presslens eval events --folds K``) instead retrains the verifier per
fold on the raw candidates of the other folds plus the ``--train`` files and scores the held-out
fold, so every figure is measured on sentences the verifier never saw.
The "label" of an event is its PLOVER type for PLOVER and PLV data (2016 labels mapped: DEMAND->REQUEST,
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
* ``roles`` (PLV records, ``train/plv_train.jsonl``: one marked event each, with its ``<s>``
  source and ``<t>`` target text and PLOVER 2016 ``root``): a marked event is right when one
  predicted event of its sentence has the root as its type (CONCEDE or RETREAT for YIELD), a source
  actor with a mention sharing a character with the marked source text and a target actor with a
  mention sharing a character with the marked target text (``both_right``; ``type_right``,
  ``source_right`` and ``target_right`` relax it; a role whose text the record does not mark, such as
  the implied "a recipient", is not required). PLV records carry no countries, so their ``dyad`` is
  empty, and they are not exhaustive (a sentence may hold unmarked events), so their type precision
  is a lower bound.
* PETRARCH2 unit tests (fictional actors such as ARN/GON that no real dictionary knows) are
  scored on event codes only: a test passes when the set of predicted CAMEO codes equals the
  gold set (``pass_rate``) or, leniently, when the sets of roots are equal (``root_pass_rate``);
  tests expecting no event (``expect_no_events`` or ``expected_error``) pass only when nothing
  is output. Both are reported overall and by ``category``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spacy.language import Language
from spacy.training import Example

from presslens.analyzers.events.component import EventCoder, event_coder
from presslens.analyzers.events.roles import RoleModel, Roles
from presslens.analyzers.events.scorer import CATEGORY_KEY, KIND_KEY, MARKED_KEY, event_predictions, score_events
from presslens.analyzers.events.verifier import Scores, Verifier, decide, verify
from presslens.errors import UsageError

LABELS_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
_REPORT = ("kind", "sentences", "gold_events", "accuracy", "type_recall", "per_type", "micro", "confusion", "dyad",
           "roles", "pass_rate", "root_pass_rate", "by_category")
_TAG = re.compile(r"</?[st]>")
CURVE = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # thresholds of the reported precision/recall curve
MARGINS = (1.0, 0.2, 0.0)  # re-typing margins of the curve (1.0: never re-type)


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
    if records[0].get("events") and "root" in records[0]["events"][0]:
        return "plv", [_plv_sentence(rec) for rec in records]
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


def _plv_sentence(rec: dict[str, Any]) -> dict[str, Any]:
    """A PLV record: gold types without countries, and the marked roles as character spans of the text."""
    marked = [{"label": e["root"], **_marked_spans(e["marked"])} for e in rec["events"]]
    return {"text": rec["text"], "date": rec.get("date"), "id": rec["id"], "actors": {}, "marked": marked,
            "gold": [{"label": e["root"], "code": None, "dyads": []} for e in rec["events"]]}


def _marked_spans(marked: str) -> dict[str, list[int]]:
    """The character spans (in the text without tags) of ``<s>..</s>`` and ``<t>..</t>`` in a PLV ``marked`` string."""
    spans: dict[str, list[int]] = {}
    removed = 0
    for match in _TAG.finditer(marked):
        role = "source" if match.group() in {"<s>", "</s>"} else "target"
        spans.setdefault(role, []).append(match.start() - removed)
        removed += len(match.group())
    return spans


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
        reference.user_data[MARKED_KEY] = sent.get("marked")
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
    coder = nlp.get_pipe("presslens_events") if "presslens_events" in names else None
    if isinstance(coder, EventCoder) and coder.verifier is not None and coder.data is not None:
        card = coder.data["verifier"]["card"]
        report["verifier"] = {"trained_on": card.get("files", []), "min_confidence": coder.min_confidence}
    if scores.get("actors_found") is not None:
        report["actors"] = {"found": scores["actors_found"], "country_acc": scores["actors_country_acc"]}
    return {"data": str(path), **report}


def cross_validate_events(path: Path, nlp: Language, folds: int, train: Sequence[Path] = ()) -> dict[str, Any]:
    """K-fold CV of the verifier (and, on a file with marked roles, the role model) on one gold file: both retrained
    per fold on the other folds plus ``train`` files.

    The raw candidates come from ``nlp``'s event coder (``EventCoder.candidates``, whatever its
    verifier), its threshold and re-typing margin from its config. Folds group the records of one
    sentence (one PLV record, or the PLOVER records sharing a text). Reported: the raw candidates with their heuristic confidence
    (``before``), the verifier at the configured threshold and re-typing margin (``after``), each as
    the mean, standard deviation, min and max over folds and the figures of the pooled held-out
    predictions, and ``curve``: pooled figures at several thresholds, with and without re-typing.

    Raises:
        UsageError: a file cannot be read or is not a documented gold format, or ``folds`` < 2 (PL208);
            a ``train`` file is the evaluated file (PL212).
    """
    from presslens.train.events import candidates_of, fit, folds_of, parse, plover_types, type_codes

    check_cv_arguments(path, folds, train)
    coder = event_coder(nlp)
    parsed = parse(nlp, *_gold(path))
    parsed_extra = [s for p in train for s in parse(nlp, *_gold(Path(p)))]
    rules, rules_extra = candidates_of(coder, parsed), candidates_of(coder, parsed_extra)
    fold = folds_of(len(parsed), folds)
    codes = {t: (c, coder.k.codes[c].mode) for t, c in type_codes(rules + rules_extra, plover_types(coder.k), coder.k).items()}
    refit_roles = coder.use_roles and any(s.gold.get("marked") for s in rules)
    scored: list[tuple[int, Any, list[Scores]]] = []
    for f in range(folds):
        roles = coder.roles  # the shipped role model: trained on marked data only, so never on this (unmarked) file
        if refit_roles:
            roles = _fold_roles([s for s, g in zip(rules, fold) if g != f] + rules_extra)
        data, extra = candidates_of(coder, parsed, roles), candidates_of(coder, parsed_extra, roles)
        verifier = Verifier(fit([s for s, g in zip(data, fold) if g != f] + extra, coder.k))
        scored += [(f, s, [verifier.scores(h, e["type"], True) for e, h in zip(s.events, s.hashes)])
                   for s, g in zip(data, fold) if g == f]
    raw = [(f, s, [("", e["confidence"], "", 0.0) for e in s.events]) for f, s, _ in scored]
    report: dict[str, Any] = {"data": str(path), "kind": data[0].kind if data else None, "folds": folds, "train": [str(p) for p in train],
              "threshold": coder.min_confidence, "retype_margin": coder.retype_margin,
              "before": _fold_summary(raw, folds, None, 0.0, 1.0),
              "after": _fold_summary(scored, folds, codes, coder.min_confidence, coder.retype_margin)}
    report["curve"] = [{"threshold": t, "retype_margin": m, **_fold_summary(scored, folds, codes, t, m)["pooled"]}
                       for m in MARGINS for t in CURVE]
    return report


def _fold_roles(sentences: list[Any]) -> Roles:
    """The role model fitted on one fold's training sentences; the rules' roles where they mark too little to fit one."""
    from presslens.train.roles import fit_roles

    try:
        return Roles(RoleModel(fit_roles(sentences)))
    except ValueError:
        return Roles()


def check_cv_arguments(path: Path, folds: int, train: Sequence[Path]) -> None:
    """Refuse fewer than two folds (PL208) and a training file that is the evaluated file (PL212)."""
    if folds < 2:
        raise UsageError("PL208", path=path, detail="cross-validation needs --folds 2 or more")
    if any(Path(p).resolve() == Path(path).resolve() for p in train):
        raise UsageError("PL212", detail=f"--train {path} is the evaluated file: its held-out folds would be trained on",
                         command="presslens eval events")


def _gold(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Kind and sentences of a gold file."""
    records = read_records(path)
    if not records or "text" not in records[0]:
        raise UsageError("PL208", path=path, detail="expected JSON Lines records with a 'text' field")
    return gold_sentences(records)


def _fold_summary(scored: list[tuple[int, Any, list[Scores]]], folds: int, codes: dict[str, tuple[str, str | None]] | None,
                  threshold: float, margin: float) -> dict[str, Any]:
    """Per-fold mean, std, min and max of the headline figures, and the figures of all held-out folds pooled."""
    per_fold: list[dict[str, float]] = []
    pooled: tuple[list[Any], list[Any]] = ([], [])
    for f in range(folds):
        part = [(s, sc) for g, s, sc in scored if g == f]
        gold, predicted = [], []
        for s, sc in part:
            events = s.events if codes is None else verify(s.events, [decide(x, margin) for x in sc], threshold, codes)
            if codes is None:
                events = [e for e in events if e["confidence"] >= threshold]
            gold.append(s.gold)
            predicted.append(event_predictions(events, s.actors, s.kind))
        kind = part[0][0].kind if part else "plover"
        per_fold.append(_headline(score_events(kind, gold, predicted)))
        pooled[0].extend(gold)
        pooled[1].extend(predicted)
    kind = scored[0][1].kind if scored else "plover"
    stats = {}
    for key in per_fold[0] if per_fold else ():
        values = np.array([p[key] for p in per_fold])
        stats[key] = {"mean": round(float(values.mean()), 4), "std": round(float(values.std()), 4),
                      "min": round(float(values.min()), 4), "max": round(float(values.max()), 4)}
    return {"folds": stats, "pooled": _headline(score_events(kind, *pooled))}


def _headline(result: dict[str, Any]) -> dict[str, float]:
    """The figures of the issue's bars from a ``score_events`` result (PLV: the marked roles instead of dyads)."""
    out = {"accuracy": result["accuracy"], "type_recall": result["type_recall"],
           "type_precision": result["micro"]["precision"], "type_f1": result["micro"]["f1"]}
    if "roles" in result:
        return {**out, "roles_both_right": result["roles"]["both_right"]}
    return {**out, "dyad_precision": result["dyad"]["precision"], "dyad_recall": result["dyad"]["recall"],
            "dyad_f1": result["dyad"]["f1"]}
