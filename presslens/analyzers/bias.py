"""presslens_bias: the probability that a sentence's wording is biased, from a linear model trained on BABE.

The model (``presslens/data/bias/model.npz``, model card beside it) is a logistic regression
over features computed from per-word tables, so scoring a Doc is a few numpy operations over
``Doc.to_array`` columns, with no per-token Python work and no scikit-learn or PyTorch:

* a sublinear TF-IDF of the lower-cased words (L2-normalised, as scikit-learn computes it),
  folded with its coefficients into one score per sentence;
* the mean GloVe vector of the sentence's words, folded into one number per word;
* counts of words (by form or lemma) from the Recasens et al. 2013 and Hu & Liu lexicons;
* the share of adjectives, adverbs, superlatives and other word classes, sentence length and
  quotation, question and exclamation marks.

``scripts/train_bias.py`` fits the model with the same featurizer, so training and run time
cannot drift apart.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import spacy
from spacy.attrs import IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.bias_encoder import EncoderEnsemble
from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.analyzers.metrics import class_scores
from presslens.analyzers.sentences import sentence_bounds

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "bias" / "model.npz"
_POS_CLASSES = ("ADJ", "ADV", "PROPN", "PRON", "NUM", "VERB", "NOUN")
_TAG_CLASSES = ("JJS", "RBS", "JJR", "RBR", "MD", "VBN")
_QUOTES = ('"', "\u201c", "\u201d", "\u2018", "\u2019", "'")
_POS_IDS = np.array([POS_IDS[p] for p in _POS_CLASSES], dtype=np.uint64)
_TAG_IDS = np.array([get_string_id(t) for t in _TAG_CLASSES], dtype=np.uint64)
_QUOTE_IDS = np.array([get_string_id(m) for m in _QUOTES], dtype=np.uint64)
_EXCLAMATION, _QUESTION = get_string_id("!"), get_string_id("?")


@dataclass(frozen=True)
class WordTables:
    """The model's per-word columns, one row per word of ``words`` (lower case)."""

    words: tuple[str, ...]
    values: np.ndarray  # n_words x k floats, averaged over a sentence's words
    loaded: np.ndarray  # how likely annotators mark the word as biased
    lexicons: np.ndarray  # bit i set = member of lexicon i
    idf: np.ndarray  # TF-IDF inverse document frequency; 0 = not in the TF-IDF vocabulary
    tfidf_coef: np.ndarray
    n_lexicons: int
    _keys: np.ndarray = field(init=False, repr=False)
    _order: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Sort the word hashes once, so looking tokens up is one ``searchsorted``."""
        keys = np.array([get_string_id(w) for w in self.words], dtype=np.uint64)
        order = np.argsort(keys)
        object.__setattr__(self, "_keys", keys[order])
        object.__setattr__(self, "_order", order)

    def rows(self, hashes: np.ndarray) -> np.ndarray:
        """Table row of each string hash (-1 where the word is not in the tables)."""
        if not len(self._keys):
            return np.full(len(hashes), -1)
        at = np.minimum(np.searchsorted(self._keys, hashes), len(self._keys) - 1)
        return np.where(self._keys[at] == hashes, self._order[at], -1)


def sentence_features(doc: Doc, starts: np.ndarray, tables: WordTables) -> np.ndarray:
    """Feature matrix (one row per sentence starting at token index ``starts``) of the bias model.

    Columns: TF-IDF score, the mean of ``tables.values`` over known words (k columns), the max,
    mean, log1p(sum) and counts above 0.2 and 0.4 of ``tables.loaded``, per lexicon [any,
    log1p(count), count/length], word-class shares, log length, quote / "!" / "?" present.
    """
    n_sents = len(starts)
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, IS_SPACE]).astype(np.uint64)
    keep = arr[:, 4] == 0
    sent = (np.searchsorted(starts, np.arange(len(doc)), side="right") - 1)[keep]
    arr = arr[keep]
    length = np.maximum(np.bincount(sent, minlength=n_sents), 1).astype(float)
    rows = tables.rows(arr[:, 0])
    known = rows >= 0
    columns = [_tfidf(sent[known], rows[known], tables, n_sents)]
    hits = np.bincount(sent[known], minlength=n_sents)
    for k in range(tables.values.shape[1]):
        total = np.bincount(sent[known], weights=tables.values[rows[known], k], minlength=n_sents)
        columns.append(total / np.maximum(hits, 1))
    loaded = tables.loaded[rows[known]]
    top = np.zeros(n_sents)
    np.maximum.at(top, sent[known], loaded)
    total = np.bincount(sent[known], weights=loaded, minlength=n_sents)
    columns += [top, total / np.maximum(hits, 1), np.log1p(total)]
    columns += [np.bincount(sent[known], weights=loaded > cut, minlength=n_sents) for cut in (0.2, 0.4)]
    lemma_rows = tables.rows(arr[:, 1])
    bits = np.where(known, tables.lexicons[np.maximum(rows, 0)], 0) | np.where(
        lemma_rows >= 0, tables.lexicons[np.maximum(lemma_rows, 0)], 0
    )
    for i in range(tables.n_lexicons):
        count = np.bincount(sent, weights=(bits >> i) & 1, minlength=n_sents)
        columns += [count > 0, np.log1p(count), count / length]
    for ids, col in ((_POS_IDS, 2), (_TAG_IDS, 3)):
        for value in ids:
            columns.append(np.bincount(sent, weights=arr[:, col] == value, minlength=n_sents) / length)
    columns.append(np.log(length))
    for group in (np.isin(arr[:, 0], _QUOTE_IDS), arr[:, 0] == _EXCLAMATION, arr[:, 0] == _QUESTION):
        columns.append(np.bincount(sent, weights=group, minlength=n_sents) > 0)
    return np.column_stack(columns).astype(float)


def _tfidf(sent: np.ndarray, rows: np.ndarray, tables: WordTables, n_sents: int) -> np.ndarray:
    """Per sentence: the dot product of the L2-normalised sublinear TF-IDF vector with the coefficients."""
    in_vocab = tables.idf[rows] > 0
    sent, rows = sent[in_vocab], rows[in_vocab]
    pairs, counts = np.unique(sent.astype(np.int64) * len(tables.words) + rows, return_counts=True)
    pair_sent, pair_row = pairs // len(tables.words), pairs % len(tables.words)
    weight = (1.0 + np.log(counts)) * tables.idf[pair_row]
    norm = np.sqrt(np.bincount(pair_sent, weights=weight**2, minlength=n_sents))
    score = np.bincount(pair_sent, weights=weight * tables.tfidf_coef[pair_row], minlength=n_sents)
    return score / np.maximum(norm, 1e-12)


@dataclass(frozen=True)
class BiasModel:
    """The shipped model: word tables plus a logistic head over ``sentence_features``."""

    tables: WordTables
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    card: dict

    @classmethod
    def load(cls, path: Path | IO[bytes] = MODEL_PATH) -> BiasModel:
        """Read a model written by ``save`` (a path or a binary file; plain arrays, no pickle), checking its shapes."""
        with np.load(path, allow_pickle=False) as data:
            words = tuple(str(data["words"]).split("\n")) if str(data["words"]) else ()
            tables = WordTables(
                words, data["values"], data["loaded"], data["lexicons"], data["idf"], data["tfidf_coef"], int(data["n_lexicons"])
            )
            model = cls(tables, data["mean"], data["scale"], data["coef"], float(data["intercept"]), json.loads(str(data["card"])))
        n = len(words)
        if not (len(tables.values) == len(tables.loaded) == len(tables.lexicons) == len(tables.idf) == len(tables.tfidf_coef) == n):
            raise ValueError(f"{path}: word tables of different lengths")
        if not (model.mean.shape == model.scale.shape == model.coef.shape):
            raise ValueError(f"{path}: head arrays of different shapes")
        return model

    def save(self, path: Path | IO[bytes]) -> None:
        """Write the model as a compressed ``.npz`` of plain arrays (words joined by newlines)."""
        t = self.tables
        np.savez_compressed(
            path,
            words=np.array("\n".join(t.words)),
            values=t.values.astype(np.float32),
            loaded=t.loaded.astype(np.float32),
            lexicons=t.lexicons.astype(np.uint16),
            idf=t.idf.astype(np.float32),
            tfidf_coef=t.tfidf_coef.astype(np.float32),
            n_lexicons=np.array(t.n_lexicons),
            mean=self.mean,
            scale=self.scale,
            coef=self.coef,
            intercept=np.array(self.intercept),
            card=np.array(json.dumps(self.card, sort_keys=True)),
        )

    def predict(self, doc: Doc, starts: np.ndarray) -> np.ndarray:
        """Bias probability of each sentence (sentences start at token indices ``starts``)."""
        if not len(starts):
            return np.zeros(0)
        x = (sentence_features(doc, starts, self.tables) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))


LABELS = ("Non-biased", "Biased")


class SentenceBias(PresslensComponent):
    """Set ``doc._.presslens_sentence_bias``: one probability per sentence (the whole Doc when it has no sentences).

    With an encoder (``encoder = true``, the encoder extra) the probability is the linear model's
    and the encoder's, mixed with the weight its card gives (chosen by cross-validation). The
    linear model's bytes are saved with the pipeline; the encoder stays in the package, and the
    saved data records that it is used, so a reloaded pipeline loads the same encoder.
    """

    def __init__(self, nlp: Language, name: str, encoder: bool, scorer: Scorer | None = None) -> None:
        super().__init__(nlp, name, scorer)
        self.use_encoder = encoder
        self.model: BiasModel | None = None
        self.encoder: EncoderEnsemble | None = None

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]] | None = None, *, nlp: Language | None = None, model: bytes | None = None
    ) -> None:
        """Load the linear model: ``model`` (bytes of a ``.npz`` file from the ``presslens.bias_model.v1`` reader) or the shipped one."""
        self._load(model=model)

    def load_data(self, model: bytes | None = None, **additions: Any) -> dict[str, Any]:
        """The linear model's ``.npz`` bytes and whether the packaged encoder is mixed in."""
        return {"model": model if model is not None else MODEL_PATH.read_bytes(), "encoder": self.use_encoder}

    def build(self) -> None:
        """Read the linear model from its bytes (checking its shapes) and load the encoder when the data says so."""
        assert self.data is not None
        self.model = BiasModel.load(io.BytesIO(self.data["model"]))
        self.encoder = EncoderEnsemble.load() if self.data["encoder"] else None

    def annotate(self, doc: Doc) -> Doc:
        """Score every sentence of the Doc in one vectorised pass (one encoder batch per 32 sentences)."""
        assert self.model is not None
        bounds = sentence_bounds(doc)
        probs = self.model.predict(doc, np.array([start for start, _ in bounds], dtype=np.int64))
        if self.encoder is not None and bounds:
            probs = self.encoder.mix(probs, self.encoder.predict([doc[start:end].text for start, end in bounds]))
        doc._.presslens_sentence_bias = [round(float(p), 4) for p in probs]
        return doc


@spacy.registry.readers("presslens.bias_model.v1")
def read_bias_model(path: str) -> bytes:
    """The bytes of a bias model file written by ``scripts/train_bias.py``, checked to load (``[initialize.components.presslens_bias.model]``)."""
    data = Path(path).read_bytes()
    BiasModel.load(io.BytesIO(data))
    return data


def score_bias(examples: Iterable[Example]) -> dict[str, Any]:
    """BABE-style scores: macro-F1 of Biased (probability >= 0.5) vs Non-biased over the reference's labelled sentences.

    The gold is ``example.reference._.presslens_sentence_bias`` (1.0 biased, 0.0 not, one per reference
    sentence); a predicted sentence is paired with the gold one that starts at the same character.
    """
    gold: list[int] = []
    predicted: list[int] = []
    for example in examples:
        labels = example.reference._.presslens_sentence_bias
        if not labels:
            continue
        pred = example.predicted
        probs = {pred[start].idx: p for (start, _), p in zip(sentence_bounds(pred), pred._.presslens_sentence_bias or [])}
        ref = example.reference
        for (start, _), label in zip(sentence_bounds(ref), labels):
            gold.append(int(label >= 0.5))
            predicted.append(int(probs.get(ref[start].idx, 0.0) >= 0.5))
    result = class_scores(gold, predicted, LABELS)
    return {"bias_macro_f1": result["macro_f1"], "bias_per_class": result["classes"], "bias_n": result["n"]}


@spacy.registry.scorers("presslens.bias_scorer.v1")
def make_bias_scorer() -> Scorer:
    """The registered scorer of ``presslens_bias`` (``score_bias``)."""
    return score_bias


@Language.factory(
    "presslens_bias",
    assigns=["doc._.presslens_sentence_bias"],
    requires=["token.is_sent_start", "token.tag", "token.lemma"],
    default_config={"encoder": False, "scorer": {"@scorers": "presslens.bias_scorer.v1"}},
    default_score_weights={"bias_macro_f1": 1.0, "bias_per_class": None, "bias_n": None},
)
def make_bias(nlp: Language, name: str, encoder: bool, scorer: Scorer | None) -> SentenceBias:
    """Build the sentence-bias component; its linear model is loaded by ``initialize`` (the shipped one by default).

    Args:
        encoder: Mix in the packaged MiniLM encoder (the encoder extra, PyTorch).
        scorer: The scorer ``nlp.evaluate`` calls (``presslens.bias_scorer.v1``).
    """
    return SentenceBias(nlp, name, encoder, scorer)
