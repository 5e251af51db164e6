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

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

import presslens.nlp.extensions  # noqa: F401  (registers Doc._.presslens_sentence_bias)
from presslens.analyzers.bias_encoder import EncoderEnsemble

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
    def load(cls, path: Path = MODEL_PATH) -> BiasModel:
        """Read a model written by ``save`` (plain arrays, no pickle), checking its shapes."""
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

    def save(self, path: Path) -> None:
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


class SentenceBias:
    """Set ``doc._.presslens_sentence_bias``: one probability per ``doc.sents`` sentence.

    With an encoder (``encoder = true``, the encoder extra) the probability is the linear model's
    and the encoder's, mixed with the weight its card gives (chosen by cross-validation).
    """

    def __init__(self, name: str, model: BiasModel, encoder: EncoderEnsemble | None = None) -> None:
        self.name = name
        self.model = model
        self.encoder = encoder

    def __call__(self, doc: Doc) -> Doc:
        """Score every sentence of the Doc in one vectorised pass (one encoder batch per 32 sentences)."""
        sents = list(doc.sents)
        probs = self.model.predict(doc, np.array([sent.start for sent in sents], dtype=np.int64))
        if self.encoder is not None and sents:
            probs = self.encoder.mix(probs, self.encoder.predict([sent.text for sent in sents]))
        doc._.presslens_sentence_bias = [round(float(p), 4) for p in probs]
        return doc


@Language.factory(
    "presslens_bias",
    assigns=["doc._.presslens_sentence_bias"],
    requires=["token.is_sent_start", "token.pos", "token.tag", "token.lemma"],
    default_config={"model_path": None, "encoder": False},
)
def make_bias(nlp: Language, name: str, model_path: str | None, encoder: bool) -> SentenceBias:
    """Build the sentence-bias scorer from the shipped model (or ``model_path``), plus the shipped encoder when asked."""
    return SentenceBias(name, BiasModel.load(Path(model_path) if model_path else MODEL_PATH), EncoderEnsemble.load() if encoder else None)
