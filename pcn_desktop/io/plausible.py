"""Is a figure believable? Counts, coordinates, money and list dates against the import limits.

Each check refuses with the file, the row and what the value probably is (grid metres in a
latitude column, swapped axes, a date typed as 9999) rather than storing it: a list size of
-5 or 1e20 would break the rules, the funding and, past SQLite's integers, the save.
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Collection

from .errors import ImportRefused
from .limits import import_limits


def count_in_range(value: int, maximum: int, signed: bool = False) -> bool:
    return (signed or value >= 0) and abs(value) <= maximum


def counts_in_range(values: Collection[int], maximum: int, signed: bool = False) -> bool:
    """``count_in_range`` of every value, from the smallest and the largest alone."""
    if not values:
        return True
    low, high = min(values), max(values)
    return count_in_range(low, maximum, signed) and count_in_range(high, maximum, signed)


def check_count(path: Path | str, line: int, value: int, column: str, maximum: int, signed: bool = False,
                setting: str = "list_size_max") -> int:
    if not signed and value < 0:
        raise ImportRefused(path, line, f"{column} {value:,} is negative: a count of patients cannot be")
    if abs(value) > maximum:
        raise ImportRefused(path, line, f"{column} {value:,} is over {maximum:,} (the {setting} setting): "
                                        "a typo or a damaged file")
    return value


def coordinates_plausible(latitude: float | None, longitude: float | None) -> bool:
    if latitude is None or longitude is None:
        return latitude is None and longitude is None
    return import_limits().in_uk(latitude, longitude)


def check_coordinates(path: Path | str, line: int, latitude: float | None, longitude: float | None) -> None:
    """Both given and within the United Kingdom, or neither; the refusal names the probable cause."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ImportRefused(path, line, "latitude and longitude must be given together")
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise ImportRefused(path, line, f"latitude {latitude:g}, longitude {longitude:g}: not finite numbers")
    limits = import_limits()
    if limits.in_uk(latitude, longitude):
        return
    if limits.in_uk(longitude, latitude):
        cause = "latitude and longitude appear swapped"
    elif 0 <= latitude <= 1_300_000 and 0 <= longitude <= 700_000 and max(latitude, longitude) > 1000:
        cause = "these look like British National Grid metres (northing, easting), not degrees"
    else:
        (lat0, lat1), (lon0, lon1) = limits.latitude_range, limits.longitude_range
        cause = (f"outside the United Kingdom (latitude {lat0:g} to {lat1:g}, longitude {lon0:g} to {lon1:g}, "
                 "the latitude_range / longitude_range settings)")
    raise ImportRefused(path, line, f"latitude {latitude:g}, longitude {longitude:g}: {cause}")


def list_date_plausible(when: date | None, today: date | None = None) -> bool:
    if when is None:
        return True
    limits = import_limits()
    return limits.list_date_earliest <= when <= limits.list_date_latest(today)


def check_list_date(path: Path | str, line: int, when: date | None, column: str) -> date | None:
    """A list or registration count date within the plausible range of NHS extracts."""
    if list_date_plausible(when):
        return when
    limits = import_limits()
    raise ImportRefused(path, line, f"{column} {when.isoformat()} is outside the plausible range of NHS "
                                    f"extracts ({limits.list_date_earliest.isoformat()} to "
                                    f"{limits.list_date_latest().isoformat()}, the list_date_range setting)")


def check_amount(value: float, column: str, maximum: float, setting: str) -> float:
    """ValueError (the workforce reader adds file and row) unless finite and within the bound."""
    if not math.isfinite(value):
        raise ValueError(f"{column}: {value:g} is not a finite number")
    if abs(value) > maximum:
        raise ValueError(f"{column}: {value:g} is over {maximum:g} (the {setting} setting)")
    return value
