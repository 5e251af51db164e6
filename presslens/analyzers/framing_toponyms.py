"""Contested place names: a side's political name for a place, used in the outlet's voice without the other side's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc, Span

from presslens.analyzers.framing_claims import framing_item
from presslens.knowledge.places import name_key
from presslens.nlp.outputs import FramingOut

Range = tuple[int, int]


class Toponyms:
    """Which curated place a name belongs to and who uses that name, from ``knowledge.places.packaged_toponyms``."""

    def __init__(self, data: dict[str, Any], neutral_users: list[str]) -> None:
        self.names: dict[str, dict[str, str | None]] = {pid: dict(map(tuple, pairs)) for pid, pairs in data["places"].items()}
        self.used_by: dict[str, str] = data["used_by"]
        self.neutral = frozenset(neutral_users)
        self.index: dict[str, tuple[str, str | None]] = {}
        for pid, names in self.names.items():  # the first place (in file order) holding a name wins, as in the gazetteer
            for name, user in names.items():
                self.index.setdefault(name_key(name), (pid, user))

    def items(self, doc: Doc, quoted: Callable[[int, int], bool]) -> list[FramingOut]:
        """Political names of contested places used outside quotations (``quoted``) with no other side's name beside them."""
        uses: dict[str, list[tuple[Span, str | None]]] = {}
        for mention in doc.spans.get("presslens_places", []):
            if quoted(mention.start_char, mention.end_char):
                continue
            found = self.index.get(name_key(mention.text))
            if found is not None:
                uses.setdefault(found[0], []).append((mention, found[1]))
        items = []
        for place_id, named in uses.items():
            if len({user for _, user in named}) > 1:
                continue  # the outlet uses more than one side's name: no choice made
            for mention, user in named:
                if user is None or user in self.neutral:
                    continue
                items.append(framing_item("contested_toponym", mention.start_char, mention.end_char, mention.text,
                                          self._note(mention.text, user, self.names[place_id])))
        return items

    def _note(self, name: str, user: str, names: dict[str, str | None]) -> str:
        """'Judea and Samaria' is the name used by ...; international usage is 'West Bank'."""
        used = self.used_by.get(user, user)
        international = [n for n, u in names.items() if u == "international/UN"]
        if international:
            return f"'{name}' is {used}; international usage is '{international[0]}'"
        others = [f"'{n}' ({u})" for n, u in names.items() if u not in (user, "spelling variant", None)]
        return f"'{name}' is {used}; other names: {', '.join(others)}" if others else f"'{name}' is {used}"
