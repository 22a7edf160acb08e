"""Rule settings: shipped defaults (resources/settings/rules.toml) plus a project's overrides."""
from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache

from .domain.model import Project
from .domain.settings import RuleSettings, SettingsError
from .paths import resource
from .textfiles import TextDecodeError, read_user_text


@lru_cache(maxsize=1)
def default_rule_settings() -> RuleSettings:
    path = resource("settings", "rules.toml")
    try:
        data = tomllib.loads(read_user_text(path))
    except TextDecodeError as exc:
        raise SettingsError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    return RuleSettings.from_mapping(data, origin=str(path))


def rule_settings_for(project: Project) -> RuleSettings:
    """Defaults with the project's own overrides (stored under project.settings['rules'])."""
    overrides = project.settings.get("rules") or {}
    return default_rule_settings().with_overrides(overrides) if overrides else default_rule_settings()


def settle_counting(project: Project) -> date | None:
    """Count ``project`` at its counting date (setting, else latest extract); the date."""
    from .domain.counting import recount
    return recount(project, rule_settings_for(project))


def count_as_at(project: Project, at: date | None) -> date | None:
    """``--as-at``: recount at another date, memberships and lists, through the project's
    ``list_date`` setting (so every report reads the same date); a command that saves puts
    the setting back first (cli.common.forget_as_at)."""
    if at is None:
        return settle_counting(project)
    rules = dict(project.settings.get("rules") or {})
    rules["list_date"] = at.isoformat()
    project.settings["rules"] = rules
    return settle_counting(project)
