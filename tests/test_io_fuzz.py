"""Property-based fuzzing of every reader (issue 15): the real files of ../shared/data and the
sample's own exports, mutated by hypothesis, imported into a copy of the sample project.

Whatever the mutation, the import either succeeds (and the project still opens) or exits 1
with one line naming the file, and then the project file is byte-identical; no traceback,
no warning on stderr (Python's or a C library's), nothing left beside the project.

CI runs a bounded number of examples per reader. A developer's long run is one command:

    PCN_FUZZ_EXAMPLES=2000 PCN_FUZZ_REPORT=fuzz.json .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_io_fuzz.py

``PCN_FUZZ_REPORT`` writes the outcome counts by reader and category (accepted, or the kind
of refusal) as JSON.
"""
from __future__ import annotations

import atexit
import json
import math
import os
import re
import shutil
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hostile import (EPRACCUR, LIST_SIZES, LSOA, LSOAPOPS, MAPPING, PCNDEFS, PRACTICEPOPS, epcn_copy, real,
                     run_cli)
from io_files import digest

from pcn_desktop.store import load_project

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "resources" / "sample" / "sample_ccg.pcnproj"
EXAMPLES = int(os.environ.get("PCN_FUZZ_EXAMPLES", "20"))
# a long run (PCN_FUZZ_EXAMPLES=2000) takes many minutes per reader: the suite's 300 s
# per-test timeout is for hangs in the CI run, not for it
pytestmark = [pytest.mark.realdata, pytest.mark.timeout(max(300, EXAMPLES * 3))]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="PCN_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
OUTCOMES: dict[str, Counter] = defaultdict(Counter)
UNSORTED: dict[str, list[str]] = defaultdict(list)        # a few refusals no category matched, for the report

HOSTILE_VALUES = ["", " ", "-1", "-5", "0", "1e20", "99999999999999999999", "nan", "-inf", "inf", "1e300",
                  "31DEC9999", "01JAN1066", "9999-12-31", "P8100", "P810011", "ZZZZZZ", '"', '""', "\x00",
                  "é", "\ufeff", "A" * 300, "1,000", "=1+1", "NULL", "428000", "372000", "999"]


def _report() -> None:
    target = os.environ.get("PCN_FUZZ_REPORT")
    if target and OUTCOMES:
        report = {k: dict(v) for k, v in OUTCOMES.items()}
        report["_uncategorised_examples"] = dict(UNSORTED)
        Path(target).write_text(json.dumps(report, indent=1, sort_keys=True))


atexit.register(_report)


# --- seeds: real files, cut to a size that keeps an example fast ------------------------------
@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seeds")
    out: dict[str, Path] = {}

    def head(name: str, parts: tuple[str, ...], lines: int = 200) -> None:
        text = real(*parts).read_bytes().splitlines(keepends=True)[:lines]
        out[name] = folder / parts[-1]
        out[name].write_bytes(b"".join(text))

    head("epraccur", EPRACCUR)
    head("list_sizes", LIST_SIZES)
    head("registrations", LSOAPOPS)
    head("populations", PRACTICEPOPS)
    head("mapping_geographies", MAPPING)
    head("pcndefs", PCNDEFS, 10_000)
    out["epcn"] = epcn_copy(folder, partners=25)
    data = json.loads(real(*LSOA).read_text(encoding="utf-8"))
    data["features"] = data["features"][:6]
    out["geojson"] = folder / "lsoa.geojson"
    out["geojson"].write_text(json.dumps(data))
    import geopandas as gpd
    frame = gpd.read_file(out["geojson"])
    out["gpkg"] = folder / "lsoa.gpkg"
    frame.to_file(out["gpkg"], driver="GPKG")
    out["shapefile"] = folder / "lsoa.shp"
    frame.to_file(out["shapefile"])
    sample = folder / "sample.pcnproj"
    shutil.copyfile(SAMPLE, sample)
    out["sample_practices"] = folder / "practices.csv"
    assert run_cli("export", str(sample), str(out["sample_practices"]), "--what", "practices")[0] == 0
    out["sample_plan"] = folder / "plan.csv"
    assert run_cli("funding", str(sample), "--export-plan", str(out["sample_plan"]))[0] == 0
    out["boundaries"] = folder / "boundaries.geojson"
    assert run_cli("export", str(sample), str(out["boundaries"]), "--what", "boundaries")[0] == 0
    out["excel_list"] = excel_list(out["sample_practices"], folder / "lookup.xlsx")
    return out


def excel_list(practices_csv: Path, target: Path) -> Path:
    """The sample's practice list as a team keeps it in Excel: a title above, notes beside."""
    import csv

    from openpyxl import Workbook
    with open(practices_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    sheet.append(["Practices and their PCNs, as agreed"])
    sheet.append([])
    for i, row in enumerate(rows):
        sheet.append(["checked" if i else "Note", None, *row])
    book.save(target)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "project" / "sample.pcnproj"
    path.parent.mkdir()
    shutil.copyfile(SAMPLE, path)
    return path


# --- mutations ---------------------------------------------------------------------------------
def _csv_edit(data: bytes, draw) -> tuple[bytes, str]:
    lines = data.split(b"\n")
    n = len(lines)
    op = draw(st.sampled_from(["field", "field", "field", "truncate", "flip", "dup_line", "dup_header",
                               "drop_column", "blank_lines", "encoding", "line_endings", "drop_header",
                               "long_line", "swap_columns", "insert_bytes"]))
    if op == "field":
        i = draw(st.integers(0, n - 1))
        fields = lines[i].split(b",")
        j = draw(st.integers(0, len(fields) - 1))
        fields[j] = draw(st.sampled_from(HOSTILE_VALUES)).encode("utf-8")
        lines[i] = b",".join(fields)
    elif op == "truncate":
        return data[:draw(st.integers(0, len(data)))], op
    elif op in ("flip", "insert_bytes"):
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, max(len(out) - 1, 0)))
            byte = draw(st.integers(0, 255))
            if op == "flip" and out:
                out[pos] = byte
            else:
                out.insert(pos, byte)
        return bytes(out), op
    elif op == "dup_line":
        i = draw(st.integers(0, n - 1))
        lines.insert(draw(st.integers(0, n)), lines[i])
    elif op == "dup_header":
        lines.insert(draw(st.integers(1, n)), lines[0])
    elif op == "drop_column":
        j = draw(st.integers(0, 30))
        lines = [b",".join(f for k, f in enumerate(line.split(b",")) if k != j) for line in lines]
    elif op == "blank_lines":
        for _ in range(draw(st.integers(1, 3))):
            lines.insert(draw(st.integers(0, n)), draw(st.sampled_from([b"", b"\r", b"  ", b",,,"])))
    elif op == "encoding":
        enc = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig"]))
        return data.decode("utf-8", "replace").encode(enc, "replace"), f"{op} {enc}"
    elif op == "line_endings":
        return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"]))), op
    elif op == "drop_header":
        lines = lines[1:]
    elif op == "long_line":
        lines.insert(draw(st.integers(1, n)), b"A" * draw(st.sampled_from([10_000, 140_000, 1_000_000])))
    elif op == "swap_columns":
        a, b = draw(st.integers(0, 10)), draw(st.integers(0, 10))

        def swap(line: bytes) -> bytes:
            f = line.split(b",")
            if max(a, b) < len(f):
                f[a], f[b] = f[b], f[a]
            return b",".join(f)
        lines = [swap(line) for line in lines]
    return b"\n".join(lines), op


def _binary_edit(data: bytes, draw) -> tuple[bytes, str]:
    op = draw(st.sampled_from(["truncate", "flip", "flip", "zero_run", "duplicate_block"]))
    out = bytearray(data)
    if op == "truncate":
        return bytes(out[:draw(st.integers(0, len(out)))]), op
    if op == "flip":
        for _ in range(draw(st.integers(1, 16))):
            out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    elif op == "zero_run":
        start = draw(st.integers(0, len(out) - 1))
        length = draw(st.integers(1, 4096))
        out[start:start + length] = bytes(min(length, len(out) - start))
    else:
        start = draw(st.integers(0, len(out) - 1))
        out[start:start] = out[start:start + draw(st.integers(1, 4096))]
    return bytes(out), op


HOSTILE_NUMBERS = [math.nan, math.inf, -math.inf, 1e300, -1e300, 0.0, 999.0, 428000.0, -2.48, 53.75, 1e-300]


def _json_edit(data: bytes, draw) -> tuple[bytes, str]:
    doc = json.loads(data)
    features = doc["features"]
    op = draw(st.sampled_from(["coordinate", "coordinate", "properties", "geometry", "crs", "swap", "grid",
                               "drop_features", "bytes"]))
    i = draw(st.integers(0, len(features) - 1))
    if op == "bytes":
        return _binary_edit(data, draw)
    if op == "coordinate":
        ring = features[i]["geometry"]["coordinates"]
        while isinstance(ring[0][0], list):
            ring = ring[0]
        k = draw(st.integers(0, len(ring) - 1))
        ring[k] = [draw(st.sampled_from(HOSTILE_NUMBERS)), draw(st.sampled_from(HOSTILE_NUMBERS))]
    elif op == "properties":
        features[i]["properties"] = draw(st.sampled_from([None, {}, {"lsoa11cd": None}, {"lsoa11cd": ""},
                                                          {"lsoa11cd": features[0]["properties"].get("lsoa11cd")}]))
    elif op == "geometry":
        features[i]["geometry"] = draw(st.sampled_from([None, {"type": "Point", "coordinates": [-2.4, 53.7]},
                                                        {"type": "Polygon", "coordinates": []},
                                                        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}]))
    elif op == "crs":
        if draw(st.booleans()):
            doc.pop("crs", None)
        else:
            doc["crs"] = {"type": "name", "properties": {"name": draw(st.sampled_from(
                ["EPSG:27700", "EPSG:3857", "urn:ogc:def:crs:EPSG::4326", "EPSG:0"]))}}
    elif op in ("swap", "grid"):
        def walk(c):
            if isinstance(c[0], (int, float)):
                return [c[1], c[0]] if op == "swap" else [c[0] * 1e4 + 400000, c[1] * 1e4]
            return [walk(x) for x in c]
        for f in features:
            f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    elif op == "drop_features":
        doc["features"] = []
    return json.dumps(doc).encode("utf-8"), op


# --- the property ---------------------------------------------------------------------------------
_CATEGORY = [
    (r"has no extract date column", "undated list sizes alone"),
    (r"not a regular file", "special file"), (r"^status |status '.*' is not A, C, D or P", "invalid status"),
    (r"outside Great Britain|given together", "implausible coordinates"),
    (r"^no (organisation code|PCode|practice)", "missing or malformed code"),
    (r"^no EXTRACT_DATE column", "missing column or network"),
    (r"none of its .* features matches|matches \d+ of \d+ networks", "boundaries matching no network"),
    (r"^(wte|annual_cost|start|end|role): |: (wte|annual_cost|start|end|role): ", "invalid plan line"),
    (r"not finite|nan|inf\b", "non-finite number"), (r"negative|is over|setting\)", "out of bounds"),
    (r"not a number|not a whole number|not a date", "not a number or date"),
    (r"is not an ODS practice code|no practice|no PCN code|no area code", "missing or malformed code"),
    (r"has \d+ fields, expected|malformed CSV|NUL byte|longer than", "malformed CSV"),
    (r"repeats the header", "repeated header"), (r"appears twice|listed twice|two rows|two list sizes", "duplicate"),
    (r"UTF-16|not UTF-8", "encoding"), (r"damaged xlsx|sheet is damaged|decompression bomb|inflates", "damaged xlsx"),
    (r"not a file this import recognises", "unrecognised"), (r"United Kingdom|swapped|Grid metres|coordinate",
                                                              "implausible coordinates"),
    (r"geometry|polygon|ring|no features", "bad geometry"), (r"disagree", "files disagree"),
    (r"no network|no column|missing column", "missing column or network"),
    (r"cannot be read|cannot read", "unreadable (library error)"),
]


def _category(message: str) -> str:
    for pattern, name in _CATEGORY:
        if re.search(pattern, message):
            return f"refused: {name}"
    return "refused: other"


def _import_and_check(reader: str, project: Path, path: Path, capfd, verb: tuple[str, ...] = ("import",)) -> None:
    before = digest(project)
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)   # a warning raised as an error must not escape either
        status, out, err, caught = run_cli(*verb[:1], str(project), *verb[1:], str(path))
    fd_err = capfd.readouterr().err
    assert "Traceback" not in err and "Traceback" not in fd_err
    assert caught == [], f"warnings leaked: {caught}"
    assert fd_err == "", f"a library wrote to stderr: {fd_err[:300]}"
    leftovers = [p.name for p in project.parent.iterdir() if p.name != project.name]
    assert leftovers == [], f"files left beside the project: {leftovers}"
    if status == 0:
        load_project(project)                           # the saved project opens
        OUTCOMES[reader]["accepted"] += 1
        shutil.copyfile(SAMPLE, project)                # the next example starts from the sample again
        return
    lines = err.splitlines()
    expected_status = 2 if verb[0] == "boundaries" else 1
    assert status == expected_status, err
    assert lines and lines[0].startswith(f"pcn-desktop {verb[0]}: {path}"), err
    assert len(lines) <= 2 and all(len(line) < 2000 for line in lines), err
    assert digest(project) == before, "a refused import changed the project file"
    category = _category(lines[0])
    OUTCOMES[reader][category] += 1
    if category == "refused: other" and len(UNSORTED[reader]) < 5:
        UNSORTED[reader].append(lines[0].split(": ", 2)[-1][:200])


CSV_READERS = ["epraccur", "list_sizes", "registrations", "populations", "mapping_geographies", "pcndefs",
               "sample_practices", "sample_plan"]


@pytest.mark.parametrize("reader", CSV_READERS)
@FUZZ
@given(data=st.data())
def test_fuzz_csv_readers(seeds, project, capfd, reader, data):
    mutated, op = _csv_edit(seeds[reader].read_bytes(), data.draw)
    path = project.parent.parent / seeds[reader].name
    path.write_bytes(mutated)
    _import_and_check(reader, project, path, capfd)


@pytest.mark.parametrize("reader", ["epcn", "excel_list", "gpkg", "shapefile"])
@FUZZ
@given(data=st.data())
def test_fuzz_binary_readers(seeds, project, capfd, reader, data):
    folder = project.parent.parent / "in"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    source = seeds[reader]
    for sidecar in source.parent.glob(source.stem + ".*"):
        shutil.copyfile(sidecar, folder / sidecar.name)
    target = folder / (data.draw(st.sampled_from([".shp", ".dbf", ".shx"])) if reader == "shapefile" else source.suffix)
    target = folder / (source.stem + target.name) if reader == "shapefile" else folder / source.name
    mutated, op = _binary_edit(target.read_bytes(), data.draw)
    target.write_bytes(mutated)
    _import_and_check(reader, project, folder / source.name, capfd)


@FUZZ
@given(data=st.data())
def test_fuzz_excel_list_cells(seeds, project, capfd, data):
    """The Excel list with cells changed as a hand edits them: any value, any type, anywhere,
    headings and notes included."""
    from datetime import datetime

    from openpyxl import load_workbook
    book = load_workbook(seeds["excel_list"])
    sheet = book.active
    value = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=40), st.integers(-10**12, 10**12),
                      st.floats(allow_nan=True, allow_infinity=False), st.booleans(), st.none(),
                      st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
    for _ in range(data.draw(st.integers(1, 6))):
        row = data.draw(st.integers(1, sheet.max_row + 2))
        column = data.draw(st.integers(1, sheet.max_column + 2))
        cell = data.draw(value)
        if isinstance(cell, str):
            cell = "".join(c for c in cell if c == "\t" or c >= " ")   # what a cell can hold at all
        sheet.cell(row=row, column=column, value=cell)
    path = project.parent.parent / "lookup.xlsx"
    book.save(path)
    _import_and_check("excel_list_cells", project, path, capfd)


@FUZZ
@given(data=st.data())
def test_fuzz_geojson_areas(seeds, project, capfd, data):
    mutated, op = _json_edit(seeds["geojson"].read_bytes(), data.draw)
    path = project.parent.parent / "lsoa.geojson"
    path.write_bytes(mutated)
    _import_and_check("geojson", project, path, capfd)


@FUZZ
@given(data=st.data())
def test_fuzz_boundaries_import(seeds, project, capfd, data):
    mutated, op = _json_edit(seeds["boundaries"].read_bytes(), data.draw)
    path = project.parent.parent / "boundaries.geojson"
    path.write_bytes(mutated)
    _import_and_check("boundaries", project, path, capfd, verb=("boundaries", "--replace-all", "--import"))


@pytest.mark.parametrize("special", ["fifo", "folder", "missing", "empty", "unreadable-huge-line"])
def test_special_inputs(tmp_path, project, capfd, special):
    path = tmp_path / f"{special}.csv"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "folder":
        path.mkdir()
    elif special == "empty":
        path.write_bytes(b"")
    elif special == "unreadable-huge-line":
        path.write_bytes(b"practice_code,network_name\n" + b"x" * 5_000_000)
    if special == "missing":
        with pytest.raises(SystemExit) as stop:           # argparse refuses it, with usage
            run_cli("import", str(project), str(path))
        assert stop.value.code == 2
        return
    _import_and_check("special", project, path, capfd)
