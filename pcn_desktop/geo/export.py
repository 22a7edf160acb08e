"""Writers for boundaries (GeoPackage, GeoJSON) and the area -> network assignment CSV.

Polygons are written in WGS84 with the network's code, name, list size, provenance and its
scalar measures, so a GIS user sees the same figures as ``validate --json``.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any


from ..domain.model import Project
from ..domain.settings import RuleSettings
from .areas import area_index
from .assign import practice_networks
from .crs import WGS84
from .measures import network_measures
from ..textfiles import csv_for_excel

DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}
SCALARS = ("areas", "area_km2", "parts", "largest_part_share", "population_outside_largest_share", "holes",
           "overlap_area", "overlap_patients", "patients", "patients_inside", "patients_inside_share",
           "residents", "polsby_popper", "reock", "places_crossed")
AREA_COLUMNS = ("area_code", "area_name", "network_code", "network_name", "share")


class ExportError(ValueError):
    pass


def boundaries_frame(project: Project, settings: RuleSettings | None = None) -> Any:
    import geopandas as gpd
    if settings is None:
        from ..settings import rule_settings_for
        settings = rule_settings_for(project)
    at = settings.counting_date(project.list_dates())
    measures = network_measures(project, settings)
    rows, geoms = [], []
    for net in project.sorted_networks():
        b = project.boundaries.get(net.id)
        if b is None or b.geometry is None:
            continue
        m = measures.get(net.id, {})
        row: dict[str, Any] = {"code": net.code, "name": net.name,
                               "list_size": project.network_list_size(net.id, at),
                               "provenance": b.provenance, "built": b.built.isoformat() if b.built else ""}
        row.update({k: m.get(k) for k in SCALARS})
        row["places"] = "; ".join(m.get("places", []))
        rows.append(row)
        geoms.append(b.geometry)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=WGS84)


def write_boundaries(project: Project, path: str | Path, settings: RuleSettings | None = None) -> int:
    """Write one polygon per network with a boundary; returns how many were written."""
    path = Path(path)
    driver = DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise ExportError(f"{path}: boundaries are written as .gpkg or .geojson, not '{path.suffix}'")
    frame = boundaries_frame(project, settings)
    if frame.empty:
        raise ExportError(f"{path}: the project has no boundaries to write; build or import them first")
    if path.exists():
        path.unlink()          # GeoPackage would otherwise gain a second layer
    frame.to_file(path, driver=driver, layer="networks" if driver == "GPKG" else None)
    return len(frame)


def area_rows(project: Project) -> list[dict[str, Any]]:
    """One row per small area: its network and that network's share of its registered patients."""
    if not project.areas:
        return []
    idx = area_index(project)
    order, net_of = practice_networks(project, idx)
    rank = {nid: k for k, nid in enumerate(order)}
    rows = []
    for i, code in enumerate(idx.codes):
        nid = project.area_assignments.get(code)
        net = project.networks.get(nid) if nid else None
        share = None
        if net is not None and idx.residents[i] > 0 and i in idx.rows_by_area:
            r = idx.rows_by_area[i]
            held = idx.reg_n[r][net_of[idx.reg_practice[r]] == rank[net.id]].sum()
            share = round(float(held) / float(idx.residents[i]), 4)
        rows.append({"area_code": code, "area_name": project.areas[code].name,
                     "network_code": net.code if net else "", "network_name": net.name if net else "",
                     "share": "" if share is None else share})
    return rows


def write_area_csv(project: Project, path: str | Path) -> int:
    rows = area_rows(project)
    with csv_for_excel(path) as f:
        writer = csv.DictWriter(f, fieldnames=AREA_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


