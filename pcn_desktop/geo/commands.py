"""Edits that concern the geography, as undoable commands (``pcn_desktop.domain.commands``).

- ``SetExpectedParts``: how many separate pieces a network's boundary may have before the
  contiguity rule reports it (a rural network split by moorland or an estuary).
"""
from __future__ import annotations

from typing import Any

from ..domain.commands import Command
from ..domain.model import Project
from .rules import EXPECTED_PARTS

MAX_EXPECTED_PARTS = 50


class SetExpectedParts(Command):
    """Allow a network's boundary this many parts (1, the default, removes the allowance)."""

    def __init__(self, network_id: str, parts: int) -> None:
        super().__init__()
        if not isinstance(parts, int) or not 1 <= parts <= MAX_EXPECTED_PARTS:
            raise ValueError(f"expected parts must be a whole number from 1 to {MAX_EXPECTED_PARTS}, "
                             f"not {parts!r}")
        self.nid, self.parts = network_id, parts
        self._old: int | None = None
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Set allowed boundary parts"

    def _do(self, project: Project) -> None:
        net = project.networks.get(self.nid)
        if net is None:
            raise KeyError(f"no network {self.nid}")
        self._old = (project.settings.get(EXPECTED_PARTS) or {}).get(self.nid)
        _store(project, self.nid, self.parts)
        project.record(f"network {net.key} allowed boundary parts",
                       expected_parts_or_default(self._old), self.parts, self.who)

    def _undo(self, project: Project) -> None:
        _store(project, self.nid, self._old)


def expected_parts_or_default(value: Any) -> int:
    return 1 if value is None else max(1, int(value))


def _store(project: Project, nid: str, parts: int | None) -> None:
    table = dict(project.settings.get(EXPECTED_PARTS) or {})
    if parts is None or parts == 1:
        table.pop(nid, None)
    else:
        table[nid] = parts
    if table:
        project.settings[EXPECTED_PARTS] = table
    else:
        project.settings.pop(EXPECTED_PARTS, None)

