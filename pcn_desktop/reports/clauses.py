"""The agreement's wording: a template file the user can edit, with ``{network_name}``-style
placeholders filled from the project.

The shipped template is ``resources/agreement/clauses.toml``. A user's own copy at
``<config dir>/agreement/clauses.toml`` replaces it whole (so a local solicitor's wording is
never half-merged with ours). Every error names the file, the clause and the problem.
"""
from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..paths import config_dir, resource
from ..textfiles import TextDecodeError, read_user_text

SCHEDULE_NUMBERS = ("1", "2", "3", "4", "5", "6", "7")


class ClauseTemplateError(ValueError):
    """A clause template that cannot be used; the message names the file and the clause."""


@dataclass(frozen=True)
class Reference:
    """A schedule section a clause points at, and (optionally) words that section must say."""
    schedule: str
    section: str
    says: str = ""


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    text: str
    refs: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class ClauseTemplate:
    path: Path
    source_text: str            # the file as read: part of every document's fingerprint
    title: str
    preamble: str
    clauses: tuple[Clause, ...]
    schedules: Mapping[str, Mapping[str, str]]   # "1".."7" -> {"title", "intro", "local"}
    signature_text: str
    cover: str = ""
    signs: str = ""
    clauses_title: str = "Local supplement: explanatory notes"
    clauses_intro: str = ""
    clauses_first: bool = False


def user_template_path() -> Path:
    return config_dir() / "agreement" / "clauses.toml"


def shipped_template_path() -> Path:
    return resource("agreement", "clauses.toml")


def template_path() -> Path:
    """The template in force: the user's copy when there is one, else the shipped one."""
    user = user_template_path()
    return user if user.is_file() else shipped_template_path()


def load_template(path: Path | None = None) -> ClauseTemplate:
    path = path or template_path()
    try:
        text = read_user_text(path)
    except TextDecodeError as exc:
        raise ClauseTemplateError(str(exc)) from None
    except OSError as exc:
        raise ClauseTemplateError(f"{path}: cannot read the clause template ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClauseTemplateError(f"{path}: not valid TOML: {exc}") from None
    clauses = []
    for i, raw in enumerate(data.get("clause") or [], start=1):
        for key in ("id", "title", "text"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ClauseTemplateError(f"{path}: clause {i} has no '{key}'")
        refs = []
        for j, ref in enumerate(raw.get("refs") or [], start=1):
            if not isinstance(ref, dict) or str(ref.get("schedule")) not in SCHEDULE_NUMBERS \
                    or not isinstance(ref.get("section"), str):
                raise ClauseTemplateError(f"{path}: clause '{raw['id']}' reference {j} needs a "
                                          "schedule (1-7) and a section")
            refs.append(Reference(str(ref["schedule"]), ref["section"], str(ref.get("says", ""))))
        clauses.append(Clause(raw["id"], raw["title"], raw["text"], tuple(refs)))
    if not clauses:
        raise ClauseTemplateError(f"{path}: no [[clause]] entries")
    ids = [c.id for c in clauses]
    dupes = sorted({c for c in ids if ids.count(c) > 1})
    if dupes:
        raise ClauseTemplateError(f"{path}: {'a clause id' if len(dupes) == 1 else 'clause ids'} used twice: {', '.join(dupes)}")
    schedules = data.get("schedule") or {}
    for number in SCHEDULE_NUMBERS:
        entry = schedules.get(number)
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            raise ClauseTemplateError(f"{path}: [schedule.{number}] is missing or has no title")
    doc = data.get("document") or {}
    return ClauseTemplate(path, text, doc.get("title", "Schedules to the Network Agreement"),
                          doc.get("preamble", ""), tuple(clauses),
                          {k: dict(v) for k, v in schedules.items()}, doc.get("signature", ""),
                          doc.get("cover", ""), doc.get("signs", ""),
                          doc.get("clauses_title", "Local supplement: explanatory notes"),
                          doc.get("clauses_intro", ""), bool(doc.get("clauses_first", False)))


class _Strict(string.Formatter):
    def __init__(self, where: str) -> None:
        self.where = where

    def get_value(self, key: object, args: object, kwargs: Mapping[str, object]) -> object:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        known = ", ".join("{" + k + "}" for k in sorted(kwargs))
        raise ClauseTemplateError(f"{self.where}: unknown placeholder {{{key}}}; known: {known}")


def fill(text: str, values: Mapping[str, object], where: str) -> str:
    """Fill placeholders; an unknown one is refused by name rather than printed raw."""
    try:
        return _Strict(where).vformat(text, (), dict(values))
    except (ValueError, IndexError) as exc:
        if isinstance(exc, ClauseTemplateError):
            raise
        raise ClauseTemplateError(f"{where}: {exc} (write a literal brace as {{{{ or }}}})") from None


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are spaces."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    out = []
    for block in blocks:
        if not block:
            continue
        lines = [ln.strip() for ln in block.split("\n")]
        if all(ln.startswith("- ") for ln in lines):
            out.extend(lines)          # each bullet its own paragraph, marker kept
        else:
            out.append(" ".join(lines))
    return out
