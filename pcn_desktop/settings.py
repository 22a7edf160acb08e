"""Rule settings: shipped defaults (resources/settings/rules.toml) plus a project's overrides."""
from __future__ import annotations

import tomllib
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
