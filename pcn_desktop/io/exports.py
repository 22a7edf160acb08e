"""Writers: practices -> network list (CSV or Excel), areas -> network (CSV or polygons),
network polygons.

The practices list is the plain format ``pcn-desktop import`` reads (io/mapping.py, and
io/mapping_sheet.py for the workbook), so an export re-imported into a new project gives the
same memberships. Geographic outputs are
GeoPackage or GeoJSON by extension, in WGS84. Each writer is a plain function of a Project.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.model import Project
from ..textfiles import csv_for_excel, replace_atomically

PRACTICE_COLUMNS = ["practice_code", "practice_name", "network_code", "network_name", "list_size",
                    "list_date", "postcode", "latitude", "longitude", "commissioner", "status", "opened", "closed", "kind"]
AREA_COLUMNS = ["area_code", "area_name", "network_code", "network_name", "share"]
GEO_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


class ExportError(Exception):
    """An export that cannot be written as asked; the message says what to do."""


def practice_rows(project: Project) -> list[dict[str, Any]]:
    rows = []
    for code in sorted(project.practices):
        p = project.practices[code]
        net = project.network_of(code)
        counted = project.list_size_counted(code, project.counting_date)
        rows.append({
            "practice_code": code, "practice_name": p.name,
            "network_code": net.code if net else "", "network_name": net.name if net else "",
            "list_size": counted[1] if counted else "", "list_date": counted[0].isoformat() if counted else "",
            "postcode": p.postcode,
            "latitude": "" if p.latitude is None else p.latitude,
            "longitude": "" if p.longitude is None else p.longitude,
            "commissioner": p.commissioner, "status": p.status.value,
            "opened": p.opened.isoformat() if p.opened else "",
            "closed": p.closed.isoformat() if p.closed else "", "kind": p.kind})
    return rows


def write_practices(project: Project, path: str | os.PathLike[str]) -> int:
    """The practices and their networks, as CSV or an Excel workbook by the file's extension."""
    path = Path(path)
    rows = practice_rows(project)
    if path.suffix.lower() == ".csv":
        _write_csv(path, PRACTICE_COLUMNS, rows)
    elif path.suffix.lower() == ".xlsx":
        _write_xlsx(path, "Practices", PRACTICE_COLUMNS, rows, dates=("list_date", "opened", "closed"))
    else:
        raise ExportError(f"{path}: practices are written as .csv or .xlsx")
    return len(rows)


def area_rows(project: Project) -> list[dict[str, Any]]:
    from ..geo.export import area_rows as geo_rows   # share: the network's part of the area's patients
    shares = {r["area_code"]: r["share"] for r in geo_rows(project)}
    rows = []
    for code in sorted(project.areas):
        area = project.areas[code]
        net = project.networks.get(project.area_assignments.get(code, ""))
        rows.append({"area_code": code, "area_name": area.name,
                     "network_code": net.code if net else "", "network_name": net.name if net else "",
                     "share": shares.get(code, ""), "geometry": area.geometry})
    return rows


def write_areas(project: Project, path: str | os.PathLike[str]) -> int:
    """CSV (area -> network) or polygons with their network, by the file's extension."""
    path = Path(path)
    rows = area_rows(project)
    if not rows:
        raise ExportError("the project has no areas: import small-area polygons first")
    if path.suffix.lower() == ".csv":
        _write_csv(path, AREA_COLUMNS, rows)
    else:
        _write_geo(path, rows)
    return len(rows)


def write_boundaries(project: Project, path: str | os.PathLike[str]) -> int:
    path = Path(path)
    if not project.boundaries:
        raise ExportError("the project has no network boundaries: build them with `pcn-desktop boundaries`")
    if path.suffix.lower() not in GEO_DRIVERS:
        raise ExportError(f"{path}: boundaries are polygons; write .gpkg or .geojson")
    from ..geo.export import SCALARS
    from ..geo.measures import network_measures
    from ..settings import rule_settings_for
    settings = rule_settings_for(project)
    at = settings.counting_date(project.list_dates())
    measures = network_measures(project, settings)
    rows = []
    for net in project.sorted_networks():
        b = project.boundaries.get(net.id)
        if b is not None:
            m = measures.get(net.id, {})
            rows.append({"network_code": net.code, "network_name": net.name, "provenance": b.provenance,
                         "built": b.built.isoformat() if b.built else "",
                         "list_size": project.network_list_size(net.id, at),
                         **{k: m.get(k) for k in SCALARS}, "places": "; ".join(m.get("places", [])),
                         "geometry": b.geometry})
    _write_geo(path, rows)
    return len(rows)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with csv_for_excel(path) as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _write_xlsx(path: Path, title: str, columns: list[str], rows: list[dict[str, Any]],
                dates: tuple[str, ...] = ()) -> None:
    """One sheet: the headings, then a row each; dates as Excel dates, numbers as numbers,
    and every text as text (a name starting with "=" is not made a formula)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(columns)
    widths = [len(c) for c in columns]
    for row in rows:
        values = []
        for i, column in enumerate(columns):
            value = row.get(column, "")
            if column in dates and value:
                value = date.fromisoformat(value)
            widths[i] = max(widths[i], len(str(value)))
            values.append(None if value == "" else value)
        sheet.append(values)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.data_type == "f":
                cell.data_type = "s"
            elif cell.is_date:
                cell.number_format = "yyyy-mm-dd"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    data = io.BytesIO()
    book.save(data)
    replace_atomically(path, data.getvalue(), shared=True)


def _write_geo(path: Path, rows: list[dict[str, Any]]) -> None:
    import geopandas as gpd
    driver = GEO_DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise ExportError(f"{path}: unknown extension; use .csv, .gpkg or .geojson")
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    tmp = path.with_name(path.stem + ".writing" + path.suffix)
    if tmp.exists():
        tmp.unlink()
    try:
        frame.to_file(tmp, driver=driver, layer=path.stem)      # the layer is named after the file
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)      # a locked target or a full disk leaves nothing behind
        raise
