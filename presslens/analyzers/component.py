"""The base every presslens component shares: knowledge loaded in ``initialize``, saved with ``to_disk``.

A component's knowledge is one msgpack-safe dict (parsed lexicon entries, dictionary rows, model
weights as lists or bytes). ``initialize`` builds it from the packaged data files plus what the
``[initialize.components.NAME]`` config section adds; ``to_disk`` writes it as ``data.msgpack``
beside the pipeline, and ``from_disk`` reads it back, so a saved pipeline never depends on a path
of the machine that made it. Subclasses implement three methods: ``load_data`` (the packaged
default plus additions), ``build`` (matchers and indexes from the data, validated) and ``annotate``.
A subclass with initialize settings overrides ``initialize`` with them as explicit keyword-only
arguments (spaCy validates the config section against that signature) and passes them to ``_load``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example

import presslens.nlp.extensions  # noqa: F401  (registers the Doc and Token extensions)

Scorer = Callable[[Iterable[Example]], dict[str, Any]]
DATA_FILE = "data.msgpack"


class PresslensComponent(Pipe):
    """A rule- or lexicon-based spaCy component whose knowledge is data, loaded once and saved with the pipeline."""

    def __init__(self, nlp: Language, name: str, scorer: Scorer | None = None) -> None:
        self.vocab = nlp.vocab
        self.name = name
        self.scorer = scorer
        self.data: dict[str, Any] | None = None

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The component's knowledge: the packaged data files, plus additions from the initialize config."""
        raise NotImplementedError

    def build(self) -> None:
        """Build matchers and indexes from ``self.data`` (called after initialize and from_disk)."""

    def annotate(self, doc: Doc) -> Doc:
        """Write the component's output to ``doc``."""
        raise NotImplementedError

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *, nlp: Language | None = None) -> None:
        """Load the packaged knowledge (``nlp.initialize`` and ``presslens.nlp.build.load_nlp`` call this)."""
        self._load()

    def _load(self, **additions: Any) -> None:
        """Load the knowledge with the initialize settings' additions and build from it (subclasses' ``initialize`` pass theirs)."""
        self.data = self.load_data(**additions)
        self.build()

    def __call__(self, doc: Doc) -> Doc:
        """Annotate one Doc inside spaCy's error handler; a component never initialized loads its packaged data first."""
        if self.data is None:
            self.initialize()
        try:
            return self.annotate(doc)
        except Exception as err:
            self.get_error_handler()(self.name, self, [doc], err)
            return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Score predicted against reference Docs with the registered scorer (``nlp.evaluate`` calls this)."""
        return self.scorer(examples) if self.scorer is not None else {}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The knowledge as msgpack bytes."""
        if self.data is None:
            self.initialize()
        return srsly.msgpack_dumps(self.data)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> PresslensComponent:
        """Load knowledge written by ``to_bytes``."""
        self.data = srsly.msgpack_loads(data)
        self.build()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the knowledge to ``path/data.msgpack`` (``nlp.to_disk`` calls this)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / DATA_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PresslensComponent:
        """Load knowledge written by ``to_disk`` (``spacy.load`` calls this)."""
        return self.from_bytes((Path(path) / DATA_FILE).read_bytes())
