"""The audit log read back: every change with who, when, what, old -> new and scenario, and
the filters the History pane and ``pcn-desktop history`` share."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from .model import AuditEntry, Network


@dataclass(frozen=True)
class HistoryFilter:
    network_names: frozenset[str] = frozenset()   # the spellings of one network (code, name, key)
    since: date | datetime | None = None
    who: str = ""
    scenario: str | None = None
    text: str = ""

    @classmethod
    def for_network(cls, network: Network | None, **kwargs: object) -> "HistoryFilter":
        names = frozenset() if network is None else frozenset(n for n in (network.code, network.name, network.key) if n)
        return cls(network_names=names, **kwargs)  # type: ignore[arg-type]

    def keeps(self, entry: AuditEntry) -> bool:
        if self.since is not None:
            since = self.since if isinstance(self.since, datetime) else datetime.combine(self.since, datetime.min.time())
            if entry.when < since:
                return False
        if self.who and self.who.casefold() not in entry.who.casefold():
            return False
        if self.scenario is not None and scenario_of(entry) != self.scenario:
            return False
        if self.network_names and not concerns(entry, self.network_names):
            return False
        if self.text:
            wanted = self.text.casefold()
            if not any(wanted in part.casefold() for part in (entry.what, entry.old, entry.new, entry.who)):
                return False
        return True


def scenario_of(entry: AuditEntry) -> str:
    return getattr(entry, "scenario", "") or ""


def concerns(entry: AuditEntry, names: Iterable[str]) -> bool:
    """Whether the entry is about the network spelt any of ``names``: its subject ("network
    U123 name"), or a value moved into or out of it (a practice's old and new networks)."""
    wanted = {n.casefold() for n in names if n}
    words = entry.what.split()
    if len(words) >= 2 and words[0] == "network" and words[1].casefold() in wanted:
        return True
    subject = entry.what.casefold()
    if any(subject.startswith(f"network {n} ") for n in wanted):    # names with spaces
        return True
    for value in (entry.old, entry.new):
        if value.casefold() in wanted or {v.strip().casefold() for v in value.split(",")} & wanted:
            return True
    return False


def filtered(entries: Iterable[AuditEntry], keep: HistoryFilter) -> list[AuditEntry]:
    """Newest first, as a history is read: the log's own order reversed (entries of one second
    keep their order, which their timestamps cannot tell)."""
    return [e for e in reversed(list(entries)) if keep.keeps(e)]


def as_json(entry: AuditEntry) -> dict[str, str]:
    return {"when": entry.when.isoformat(), "who": entry.who, "scenario": scenario_of(entry),
            "what": entry.what, "old": entry.old, "new": entry.new}
