"""Rule thresholds as one validated value object, built from defaults plus overrides."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Mapping


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class RuleSettings:
    minimum_list: int = 30000
    large_network: int = 50000
    list_date: date | None = None
    director_wte_per_50000: float = 0.25
    payee_required: bool = True
    agreement_required: bool = True
    boundary_min_share: float = 0.0
    boundary_sliver_m2: float = 100.0
    min_polsby_popper: float = 0.15
    min_reock: float = 0.15
    min_patients_inside_share: float = 0.5
    max_places: int = 1

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], origin: str = "settings") -> "RuleSettings":
        """Validate every field; unknown names and wrong types are refused by name."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                raise SettingsError(f"{origin}: unknown setting '{name}'")
            value = raw.get("value") if isinstance(raw, Mapping) else raw
            kwargs[name] = _coerce(name, value, origin)
        return cls(**kwargs)

    def with_overrides(self, values: Mapping[str, Any], origin: str = "project settings") -> "RuleSettings":
        base = {f.name: getattr(self, f.name) for f in fields(self)}
        updated = RuleSettings.from_mapping({**base, **values}, origin)
        return replace(updated)

    def counting_date(self, list_dates: list[date]) -> date | None:
        """The date lists are counted at: the setting, else the latest extract's own date (the
        counts describe that date, and memberships are taken at it too)."""
        if self.list_date is not None:
            return self.list_date
        if not list_dates:
            return None
        return max(list_dates)


def _coerce(name: str, value: Any, origin: str) -> Any:
    try:
        if name in ("minimum_list", "large_network", "max_places"):
            if isinstance(value, bool):
                raise TypeError
            number = int(value)
            if number < 0:
                raise ValueError
            return number
        if name in ("director_wte_per_50000", "boundary_min_share", "boundary_sliver_m2",
                    "min_polsby_popper", "min_reock", "min_patients_inside_share"):
            number = float(value)
            if number < 0:
                raise ValueError
            return number
        if name in ("payee_required", "agreement_required"):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if name == "list_date":
            if value in (None, ""):
                return None
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise SettingsError(f"{origin}: setting '{name}' has an invalid value {value!r}") from None
    raise SettingsError(f"{origin}: unknown setting '{name}'")
