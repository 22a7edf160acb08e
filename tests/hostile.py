"""Helpers of the hostile-input tests: real files, mutated copies, and the checks every refusal must pass."""
from __future__ import annotations

import io
import shutil
import warnings
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from conftest import shared_file
from io_files import digest, saved_project

from pcn_desktop.cli import main

LIST_SIZES = ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv")
EPRACCUR = ("england", "psychty_pcn_hi_2022_des", "epraccur.csv")
EPCN = ("england", "psychty_pcn_hi_2022_des", "ePCN.xlsx")
MAPPING = ("england", "psychty_pcn_hi_2022_des", "MAPPING_NHS_GEOGRAPHIES_2021.csv")
LSOAPOPS = ("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv")
PRACTICEPOPS = ("pennine_lancashire", "bwd-ph_mapdata", "practicepops.csv")
PCNDEFS = ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv")
LSOA = ("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson")
PCN_BOUNDARIES = ("west_sussex", "psychty_pcn_hi_2022_des", "pcn_boundary_simple.geojson")


def run_cli(*args: str) -> tuple[int, str, str, list[str]]:
    """``pcn-desktop ARGS`` in this process: (status, stdout, stderr, warnings raised)."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught, redirect_stdout(out), redirect_stderr(err):
        warnings.simplefilter("always")
        status = main(list(args))
    return status, out.getvalue(), err.getvalue(), [str(w.message) for w in caught
                                                    if not issubclass(w.category, DeprecationWarning)]


def refusal(tmp_path: Path, *files: Path | str, extra: tuple[str, ...] = ()) -> str:
    """Import ``files`` into a saved project; assert a clean refusal and return its first line
    (without the ``pcn-desktop import:`` prefix)."""
    project, before = saved_project(tmp_path)
    status, _out, err, caught = run_cli("import", str(project), *map(str, files), *extra)
    assert status == 1, f"accepted: {err}"
    assert "Traceback" not in err
    assert caught == [], f"warnings leaked: {caught}"
    assert digest(project) == before, "a refused import must leave the project file byte-identical"
    first = err.splitlines()[0]
    assert first.startswith("pcn-desktop import: ")
    return first.removeprefix("pcn-desktop import: ")


def accepted(tmp_path: Path, *files: Path | str, extra: tuple[str, ...] = ()) -> tuple[Path, str]:
    project, _ = saved_project(tmp_path)
    status, out, err, caught = run_cli("import", str(project), *map(str, files), *extra)
    assert status == 0, err
    assert caught == [], f"warnings leaked: {caught}"
    return project, out


def real(*parts: str) -> Path:
    return shared_file(*parts)


def copy_real(tmp_path: Path, parts: tuple[str, ...], name: str | None = None) -> Path:
    target = tmp_path / (name or parts[-1])
    shutil.copyfile(real(*parts), target)
    return target


def epcn_copy(tmp_path: Path, partners: int = 74, rename: dict[str, str] | None = None,
              drop: tuple[str, ...] = (), dimension: str | None = None, name: str = "ePCN.xlsx") -> Path:
    """A re-saved copy of the real ePCN.xlsx with its first ``partners`` partner rows and their PCNs.

    ``rename`` / ``drop`` change the partner sheet's headers; ``dimension`` writes a stale
    ``<dimension ref=...>`` into it, as Excel and other tools leave them."""
    from openpyxl import Workbook, load_workbook
    source = load_workbook(real(*EPCN), read_only=True, data_only=True)
    details_name, partners_name = source.sheetnames
    part_rows = list(source[partners_name].iter_rows(values_only=True, max_row=partners + 1))
    head = list(part_rows[0])
    pcn_col = [h.strip() for h in head].index("PCN Code")
    wanted = {r[pcn_col] for r in part_rows[1:]}
    detail_rows = [r for i, r in enumerate(source[details_name].iter_rows(values_only=True))
                   if i == 0 or r[0] in wanted]
    source.close()
    book = Workbook()
    details = book.active
    details.title = details_name
    for row in detail_rows:
        details.append(list(row))
    sheet = book.create_sheet(partners_name)
    keep = [i for i, h in enumerate(head) if h.strip() not in drop]
    header = [(rename or {}).get(head[i].strip(), head[i]) for i in keep]
    sheet.append(header)
    for row in part_rows[1:]:
        sheet.append([row[i] for i in keep])
    path = tmp_path / name
    book.save(path)
    if dimension:
        rewrite_part(path, "xl/worksheets/sheet2.xml",
                     lambda xml: _replace_dimension(xml, dimension))
    return path


def _replace_dimension(xml: bytes, ref: str) -> bytes:
    import re
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml, count=1)


def rewrite_part(path: Path, part: str, change) -> None:
    """Rewrite one part of a zip (xlsx) in place."""
    with zipfile.ZipFile(path) as old:
        items = [(i, old.read(i.filename)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info.filename, change(data) if info.filename == part else data)
