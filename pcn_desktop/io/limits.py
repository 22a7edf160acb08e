"""The bounds an import checks figures against (resources/settings/import_limits.toml).

A copy of the file in the user's config folder replaces any of its values. Each bound is a
setting, not a constant, because no national source gives them: they separate typos, unit
mix-ups and damaged files from facts.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..paths import config_dir, resource

FILE = "import_limits.toml"


class LimitsError(ValueError):
    """A malformed limits file; the message names the file and the setting."""


@dataclass(frozen=True)
class ImportLimits:
    list_size_max: int
    registrations_max: int
    latitude_range: tuple[float, float]
    longitude_range: tuple[float, float]
    wte_max: float
    annual_cost_max: float
    list_date_earliest: date
    list_date_years_ahead: int
    xlsx_part_max_bytes: int
    xlsx_ratio_max: float
    read_seconds_max: float
    read_memory_mb_max: float

    def list_date_latest(self, today: date | None = None) -> date:
        today = today or date.today()
        try:
            return today.replace(year=today.year + self.list_date_years_ahead)
        except ValueError:                       # 29 February
            return today.replace(year=today.year + self.list_date_years_ahead, day=28)

    def in_uk(self, latitude: float, longitude: float) -> bool:
        (lat0, lat1), (lon0, lon1) = self.latitude_range, self.longitude_range
        return lat0 <= latitude <= lat1 and lon0 <= longitude <= lon1


def _tables(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LimitsError(f"{path}: {exc}") from None


@lru_cache(maxsize=1)
def import_limits() -> ImportLimits:
    shipped = resource("settings", FILE)
    data = _tables(shipped)
    origin = {k: shipped for k in data}
    override = config_dir() / FILE
    if override.is_file():
        extra = _tables(override)
        data.update(extra)
        origin.update({k: override for k in extra})

    def value(key: str, field: str = "value"):
        try:
            return data[key][field]
        except (KeyError, TypeError):
            raise LimitsError(f"{origin.get(key, shipped)}: [{key}] {field} is missing") from None

    def number(key: str, cast=float, field: str = "value"):
        raw = value(key, field)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise LimitsError(f"{origin[key]}: [{key}] {field} must be a number, not {raw!r}")
        return cast(raw)

    def pair(key: str, size: int = 2) -> tuple[float, ...]:
        raw = value(key)
        if not isinstance(raw, list) or len(raw) != size or not all(isinstance(v, (int, float)) for v in raw):
            raise LimitsError(f"{origin[key]}: [{key}] value must be a list of {size} numbers")
        return tuple(float(v) for v in raw)

    try:
        earliest = date.fromisoformat(str(value("list_date_range", "earliest")))
    except ValueError:
        raise LimitsError(f"{origin['list_date_range']}: [list_date_range] earliest is not an ISO date") from None
    return ImportLimits(
        list_size_max=number("list_size_max", int), registrations_max=number("registrations_max", int),
        latitude_range=pair("latitude_range"), longitude_range=pair("longitude_range"),
        wte_max=number("wte_max"),
        annual_cost_max=number("annual_cost_max"), list_date_earliest=earliest,
        list_date_years_ahead=number("list_date_range", int, "years_ahead"),
        xlsx_part_max_bytes=number("xlsx_part_max_bytes", int), xlsx_ratio_max=number("xlsx_ratio_max"),
        read_seconds_max=number("read_seconds_max"), read_memory_mb_max=number("read_memory_mb_max"))
