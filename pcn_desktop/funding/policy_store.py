"""Where policy tables come from: the shipped files, a user's own year files, a user's overrides.

- Shipped: ``resources/policy/*.toml``, one per contract year.
- User years: ``<config dir>/policy/*.toml``: a new year's table is picked up without code; a
  user file for a year that ships replaces the shipped one.
- User overrides: ``<config dir>/funding_overrides.toml``, a table per year mapping figure ids to
  values (``["2021/22"] "arrs.entitlements.main" = 12.3``). The Funding settings UI writes it.

The config dir is ``PCN_DESKTOP_CONFIG_DIR`` when set, else the platform's per-user config folder.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tomllib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from ..paths import cache_dir, config_dir, resource
from ..textfiles import TextDecodeError, read_user_text, replace_atomically
from .policy import Policy, PolicyError, parse_policy

if TYPE_CHECKING:
    from ..domain.model import Project

OVERRIDES_NAME = "funding_overrides.toml"


def user_config_dir() -> Path:
    return config_dir()


def shipped_policy_dir() -> Path:
    return resource("policy")


def user_policy_dir() -> Path:
    return user_config_dir() / "policy"


def overrides_path() -> Path:
    return user_config_dir() / OVERRIDES_NAME


def _policy_files() -> list[Path]:
    files: list[Path] = []
    for folder in (shipped_policy_dir(), user_policy_dir()):
        if folder.is_dir():
            files += sorted(folder.glob("*.toml"))
    return files


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_user_text(path))
    except TextDecodeError as exc:
        raise PolicyError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read: {exc.strerror}") from None


def read_overrides() -> dict[str, dict[str, Any]]:
    path = overrides_path()
    if not path.is_file():
        return {}
    data = _read_toml(path)
    for year, table in data.items():
        if not isinstance(table, dict):
            raise PolicyError(f"{path}: {year}: expected a table of figure ids and values")
    return data


Signature = tuple[tuple[str, int, int], ...]


def _signature() -> Signature:
    """Every policy file and the overrides file, by path, mtime and size: about twenty
    file-system calls, so callers that ask often (the rules) ask once per refresh."""
    paths = _policy_files() + [overrides_path()]
    stats = [(p, p.stat()) for p in paths if p.exists()]
    return tuple((str(p), st.st_mtime_ns, st.st_size) for p, st in stats)


_cache: tuple[Signature, dict[str, Policy]] | None = None
# parsed TOML per file, keyed by (path, mtime, size): an override written from the Funding
# settings reparses the overrides, not every year's table
_raw: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
reloads = 0           # how many times the tables were rebuilt (tests and benchmarks read it)


def invalidate() -> None:
    """Forget the loaded tables: the next ``load_policies`` rereads what changed."""
    global _cache
    _cache = None
    _raw.clear()


def _read_cached(path: Path, stamp: tuple[int, int]) -> dict[str, Any]:
    hit = _raw.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    data = _read_by_content(path)
    _raw[str(path)] = (stamp, data)
    return data


# Parsed tables are also kept on disk between runs, named by the file's content: the seven
# years' TOML take ~12 ms to parse and their pickles under 1 ms, and every window start and
# command checks the rules. By content, not time and size, so that a rewrite a coarse
# file-system clock cannot tell apart is still seen.
def _read_by_content(path: Path) -> dict[str, Any]:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except OSError:
        return _read_toml(path)          # which says why the file cannot be read
    kept = cache_dir() / "policy-tables" / f"{digest}.pickle"
    try:
        with open(kept, "rb") as fh:
            kept_digest, data = pickle.load(fh)
        if kept_digest == digest and isinstance(data, dict):
            return data
    except Exception:  # noqa: BLE001,S110 — missing, damaged or another version's: parse the TOML
        pass
    data = _read_toml(path)
    _keep(kept, digest, data)
    return data


def _keep(target: Path, digest: str, data: dict[str, Any]) -> None:
    try:
        replace_atomically(target, pickle.dumps((digest, data), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass                     # a read-only cache folder: parse the TOML next time too


def load_policies(check: bool = True) -> dict[str, Policy]:
    """Every contract year's policy with the user's overrides applied, reread when a file changes.

    ``check=False`` trusts the tables already loaded (no file-system calls) when there are any."""
    global _cache, reloads
    if not check and _cache is not None:
        return _cache[1]
    sig = _signature()
    if _cache is not None and _cache[0] == sig:
        return _cache[1]
    stamps = {path: (mtime, size) for path, mtime, size in sig}
    over = overrides_path()
    overrides = read_overrides() if str(over) not in stamps else _read_cached(over, stamps[str(over)])
    for year, table in overrides.items():
        if not isinstance(table, dict):
            raise PolicyError(f"{over}: {year}: expected a table of figure ids and values")
    raw: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in _policy_files():      # user files come last, so they replace shipped ones
        data = _read_cached(path, stamps[str(path)]) if str(path) in stamps else _read_toml(path)
        year = data.get("year")
        if not isinstance(year, str):
            raise PolicyError(f"{path}: year: missing (a contract year like \"2019/20\")")
        raw[year] = (path, data)
    policies: dict[str, Policy] = {}
    for year, (path, data) in raw.items():
        try:
            policies[year] = parse_policy(data, str(path), overrides.get(year))
        except PolicyError as exc:
            raise PolicyError(str(exc).replace("user overrides for", f"{over}: user overrides for")) from None
    _cache = (sig, dict(sorted(policies.items())))
    reloads += 1
    return _cache[1]


def project_policy(settings: dict[str, Any], check: bool = True) -> Policy:
    """The policy for a project's contract year, from one look at the files."""
    policies = load_policies(check)
    if not policies:
        raise PolicyError(f"no policy files in {shipped_policy_dir()} or {user_policy_dir()}")
    year = str(settings.get("contract_year") or list(policies)[-1])
    if year not in policies:
        raise PolicyError(f"no policy file for contract year {year} (have: {', '.join(policies)})")
    return policies[year]


def available_years() -> list[str]:
    return list(load_policies())


def latest_year() -> str:
    years = available_years()
    if not years:
        raise PolicyError(f"no policy files in {shipped_policy_dir()} or {user_policy_dir()}")
    return years[-1]


def policy_for(year: str | None = None) -> Policy:
    """The policy for a contract year (the latest when None)."""
    if not year:
        return project_policy({})
    policies = load_policies()
    if year not in policies:
        raise PolicyError(f"no policy file for contract year {year} (have: {', '.join(policies)})")
    return policies[year]


def project_year(settings: dict[str, Any], counted: date | None = None) -> str:
    """A project's contract year: its ``contract_year`` setting, else the year whose list date
    the counts belong to (``counted``, the extract date), else the latest with a policy file."""
    if settings.get("contract_year"):
        return str(settings["contract_year"])
    return year_for_counts(counted) if counted is not None else latest_year()


def year_for_counts(counted: date) -> str:
    """The contract year that counts lists of this date: the latest whose list date is on or
    before it (January's counts fund the year starting in April), else the earliest year."""
    policies = load_policies()
    if not policies:
        return latest_year()
    fitting = [y for y, p in policies.items() if p.list_date <= counted]
    return max(fitting, key=lambda y: policies[y].list_date) if fitting else \
        min(policies, key=lambda y: policies[y].list_date)


def year_of_project(project: "Project") -> str:
    """``project_year`` for a project counted at its counting date."""
    from ..domain.counting import extract_used
    return project_year(project.settings, extract_used(project, project.counting_date))


def set_override(year: str, figure_id: str, value: float | None) -> Path:
    """Write (or with None remove) one user value; checked by reloading before it is kept."""
    path = overrides_path()
    before = path.read_bytes() if path.is_file() else None
    data = read_overrides()
    table = dict(data.get(year, {}))
    if value is None:
        table.pop(figure_id, None)
    else:
        table[figure_id] = float(value)
    if table:
        data[year] = table
    else:
        data.pop(year, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
    # explicit: a rewrite within the file system's mtime resolution, same size, would pass
    # the signature check unnoticed
    invalidate()
    try:
        load_policies()
    except PolicyError:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
        invalidate()
        raise
    return path
