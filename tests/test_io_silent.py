"""Issue 16: imports that exited 0 with the wrong data, or left files behind. One test per point,
on the real files of ../shared/data (ePCN cases on a copy re-saved here with openpyxl)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from hostile import (EPCN, EPRACCUR, LIST_SIZES, LSOA, LSOAPOPS, PCN_BOUNDARIES, PCNDEFS, accepted, copy_real,
                     epcn_copy, real, refusal, run_cli)
from io_files import digest

from pcn_desktop.io.kinds import read_file
from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata
REPO = Path(__file__).resolve().parents[1]


# --- a stale <dimension> ------------------------------------------------------------------------
def test_stale_dimension_does_not_stop_the_epcn_reader_early(tmp_path):
    path = epcn_copy(tmp_path, partners=74, dimension="A1:K40")
    project, out = accepted(tmp_path, path)
    assert "74 practice links read" in out
    saved = load_project(project)
    linked = {m.practice_code for m in saved.memberships}
    assert len(linked - {"P81001", "P81002"}) == len({r for r in _partner_codes(path)})


def _partner_codes(path: Path) -> set[str]:
    from openpyxl import load_workbook
    book = load_workbook(path)                        # not read-only: ignores <dimension>
    rows = list(book["PCN Core Partner Details"].iter_rows(values_only=True))[1:]
    return {r[0] for r in rows if r[0] and r[9] is None}


# --- column matching by whole meaning --------------------------------------------------------
def test_renamed_pcn_code_column_is_matched_by_meaning(tmp_path):
    path = epcn_copy(tmp_path, rename={"PCN Code": "Primary Care Network Code"})
    project, _ = accepted(tmp_path, path)
    codes = {n.code for n in load_project(project).networks.values()}
    assert codes - {"U00001"} and all(c.startswith("U") for c in codes), codes   # never "00Q" / "01A"


def test_missing_pcn_code_column_is_refused_not_taken_from_the_parent_ccg(tmp_path):
    path = epcn_copy(tmp_path, drop=("PCN Code",))
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path} (sheet 'PCN Core Partner Details'), row 1: no PCN Code column")
    assert "pcn_parent_ccg_code" in message           # the columns found are listed


# --- boundaries --import ---------------------------------------------------------------------
@pytest.fixture
def sample_project(tmp_path) -> Path:
    path = tmp_path / "sample.pcnproj"
    assert run_cli("sample", str(path))[0] == 0
    return path


def test_boundaries_matching_no_network_are_refused_and_nothing_is_deleted(sample_project):
    before = digest(sample_project)
    status, out, err, _ = run_cli("boundaries", str(sample_project), "--import", str(real(*PCN_BOUNDARIES)))
    assert status == 2
    assert "none of its" in err and "matches a network" in err and "nothing was changed" in err
    assert digest(sample_project) == before
    assert len(load_project(sample_project).boundaries) == 8


def test_partial_boundaries_ask_for_replace_all(tmp_path, sample_project):
    import geopandas as gpd
    full = tmp_path / "all.geojson"
    assert run_cli("export", str(sample_project), str(full), "--what", "boundaries")[0] == 0
    part = tmp_path / "three.geojson"
    frame = gpd.read_file(full)
    frame.head(3).to_file(part, driver="GeoJSON")
    before = digest(sample_project)
    status, _out, err, _ = run_cli("boundaries", str(sample_project), "--import", str(part))
    assert status == 2 and "matches 3 of 8 networks" in err and "--replace-all" in err
    assert digest(sample_project) == before
    status, out, err, _ = run_cli("boundaries", str(sample_project), "--import", str(part), "--replace-all")
    assert status == 0, err
    assert "3 networks matched" in out and "3 of 3 features matched, 0 unmatched" in out
    assert len(load_project(sample_project).boundaries) == 3


# --- blank lines -------------------------------------------------------------------------------
def _parsed(path: Path):
    parsed = read_file(path)
    data = {k: v for k, v in vars(parsed).items() if k not in ("path", "summary")}
    for key in ("rows", "other_records"):              # epraccur records carry their line numbers
        if key in data and isinstance(data[key], Mapping):
            data[key] = {c: r[1:] for c, r in data[key].items()}
    return data, parsed.summary.rows_read


@pytest.mark.parametrize("parts", [EPRACCUR, LIST_SIZES, LSOAPOPS], ids=["epraccur", "list-sizes", "lsoa"])
@pytest.mark.parametrize("where", ["trailing", "inner", "leading"])
def test_blank_lines_are_skipped(tmp_path, parts, where):
    source = real(*parts)
    lines = source.read_bytes().splitlines(keepends=True)
    if where == "trailing":
        lines += [b"\r\n", b"\n"]
    elif where == "inner":
        lines.insert(len(lines) // 2, b"\n")
        lines.insert(3, b"  \n")
    else:
        lines.insert(0, b"\n")
    path = tmp_path / parts[-1]
    path.write_bytes(b"".join(lines))
    assert _parsed(path) == _parsed(source)


# --- messages that say what is wrong -------------------------------------------------------------
def test_utf16_file_is_called_utf16(tmp_path):
    path = tmp_path / "PCNdefs.csv"
    path.write_bytes(real(*PCNDEFS).read_text(encoding="utf-8").encode("utf-16"))
    assert refusal(tmp_path, path) == (f"{path}: is UTF-16 text, which this import does not read: save it as "
                                       "CSV UTF-8 (or Windows-1252)")


def test_undecodable_byte_in_the_first_rows_is_named(tmp_path):
    path = tmp_path / "PCNdefs.csv"
    text = real(*PCNDEFS).read_bytes()
    path.write_bytes(text.replace(b"YORKSHIRE", b"YORK\x81SHIRE", 1))
    message = refusal(tmp_path, path)
    assert "not UTF-8 or Windows-1252 text (byte 0x81" in message
    assert "not a file this import recognises (known kinds" not in message


def test_damaged_xlsx_is_called_damaged(tmp_path):
    path = tmp_path / "ePCN.xlsx"
    data = real(*EPCN).read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])            # a download cut short
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}: a damaged xlsx")


def test_field_over_128kb_is_not_called_an_unterminated_quote(tmp_path):
    path = tmp_path / "PCNdefs.csv"
    lines = real(*PCNDEFS).read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("SURGERY", "S" * 200_000, 1) if "SURGERY" in lines[4] else \
        lines[4].split(",", 1)[0] + "," + "N" * 200_000 + "," + lines[4].split(",", 2)[2]
    path.write_text("\n".join(lines) + "\n")
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, row 5: a field longer than 131,072 characters")
    assert "unterminated quote" not in message


# --- paths and filters -------------------------------------------------------------------------
@pytest.mark.parametrize("folder", ["with#hash", "with?question"])
def test_geopackage_path_with_uri_characters(tmp_path, folder):
    import geopandas as gpd
    where = tmp_path / folder
    where.mkdir()
    path = where / "areas.gpkg"
    gpd.read_file(real(*LSOA)).head(4).to_file(path, driver="GPKG")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    project, out = accepted(tmp_path, path)
    assert "small-area polygons" in out and "4 areas" in out
    after = sorted(p.name for p in tmp_path.rglob("*") if p.name != project.name)
    assert after == [n for n in before if n != project.name], "a stray file was left"


def test_reading_from_stdin(tmp_path):
    project = tmp_path / "p.pcnproj"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "pcn_desktop.cli", "import", str(project), "/dev/stdin"],
                          input=real(*PCNDEFS).read_text(encoding="utf-8"), capture_output=True, text=True,
                          env=env, timeout=120)          # a pipe, as `cat FILE | pcn-desktop import P /dev/stdin`
    assert done.returncode == 0, done.stderr
    assert "/dev/stdin: practice -> network list" in done.stdout
    rows = len(real(*PCNDEFS).read_text(encoding="utf-8").splitlines()) - 1
    assert len(load_project(project).practices) == rows


def test_commissioner_matching_nothing_is_refused(tmp_path):
    message = refusal(tmp_path, real(*LIST_SIZES), extra=("--commissioner", "ZZZ"))
    assert "--commissioner ZZZ matches no practice or network in these files" in message


# --- the project file -----------------------------------------------------------------------
def test_read_only_project_file_is_not_replaced(tmp_path):
    nets = tmp_path / "nets.csv"
    nets.write_text("practice_code,network_name,practice_name\nP81001,South PCN,ONE\n")
    project, _ = accepted(tmp_path, nets)
    project.chmod(0o444)
    before = digest(project)
    status, _out, err, _ = run_cli("import", str(project), str(copy_real(tmp_path, PCNDEFS)))
    assert status == 1 and "read-only" in err
    assert digest(project) == before
    assert stat.S_IMODE(project.stat().st_mode) == 0o444


def test_saving_keeps_the_project_files_mode(tmp_path):
    nets = tmp_path / "nets.csv"
    nets.write_text("practice_code,network_name,practice_name\nP81001,South PCN,ONE\n")
    project, _ = accepted(tmp_path, nets)
    project.chmod(0o640)
    assert run_cli("import", str(project), str(copy_real(tmp_path, PCNDEFS)))[0] == 0
    assert stat.S_IMODE(project.stat().st_mode) == 0o640


def test_leftovers_of_killed_saves_are_removed_on_the_next_open(tmp_path):
    nets = tmp_path / "nets.csv"
    nets.write_text("practice_code,network_name,practice_name\nP81001,South PCN,ONE\n")
    project, _ = accepted(tmp_path, nets)
    dead = _dead_pid()
    left = [tmp_path / f"{project.name}.{dead}.abc123.saving", tmp_path / f"{project.name}.{dead}.abc123.saving-journal",
            tmp_path / f"{project.name}.k2j3h4.saving"]               # the old naming, no process id
    for p in left:
        p.write_bytes(b"half a save")
        os.utime(p, (0, 0)) if "k2j3h4" in p.name else None
    unrelated = tmp_path / "other.pcnproj.1.x.saving"
    unrelated.write_bytes(b"")
    assert run_cli("validate", str(project))[0] in (0, 1)
    assert not any(p.exists() for p in left)
    assert unrelated.exists()


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


# --- list dates ------------------------------------------------------------------------------
@pytest.mark.parametrize("when", ["31DEC9999", "01JAN1066"])
def test_implausible_list_dates_are_refused_with_the_row(tmp_path, when):
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    lines = real(*LIST_SIZES).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = lines[7].replace("01JAN2021", when)
    path.write_text("".join(lines))
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, row 8: EXTRACT_DATE {when[5:]}-") and "list_date_range" in message
