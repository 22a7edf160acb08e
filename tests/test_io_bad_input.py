"""Bad input: the message names the file, the row and the problem, and the project file is unchanged."""
from __future__ import annotations

import pytest
from io_files import digest, epraccur_row, saved_project, write

from pcn_desktop.cli import main
from pcn_desktop.store import load_project


def refused(tmp_path, capsys, *files) -> str:
    project, before = saved_project(tmp_path)
    status = main(["import", str(project), *map(str, files)])
    err = capsys.readouterr().err
    assert status == 1
    assert digest(project) == before, "a refused import must leave the project file byte-identical"
    assert "is unchanged" in err
    return err.splitlines()[0].removeprefix("pcn-desktop import: ")


def test_truncated_last_row(tmp_path, capsys):
    f = write(tmp_path / "nets.csv", "practice_code,network_name,practice_name\n"
                                     "P81001,North PCN,ONE\nP81002,North PCN,TWO\nP81003,Nor")
    assert refused(tmp_path, capsys, f) == f"{f}, row 4: has 2 fields, expected 3 (the file may be truncated)"


def test_unterminated_quote(tmp_path, capsys):
    f = write(tmp_path / "nets.csv", 'practice_code,network_name\nP81001,North PCN\nP81002,"North PCN\n')
    message = refused(tmp_path, capsys, f)
    assert message.startswith(f"{f}, row 3: malformed CSV (unexpected end of data)")


def test_unknown_practice_without_name(tmp_path, capsys):
    f = write(tmp_path / "nets.csv", "practice_code,network_name\nP81001,North PCN\nP89999,North PCN\n")
    assert refused(tmp_path, capsys, f) == (
        f"{f}, row 3: practice P89999 is not in the project or in the other files of this import, "
        "and the row gives no practice name")


@pytest.mark.parametrize("code, problem", [
    ("12345", "practice_code '12345' is not an ODS practice code (a letter and five digits, e.g. P81008)"),
    ("", "no practice_code"),
])
def test_malformed_code(tmp_path, capsys, code, problem):
    f = write(tmp_path / "nets.csv", f"practice_code,network_name\nP81001,North PCN\n{code},North PCN\n")
    assert refused(tmp_path, capsys, f) == f"{f}, row 3: {problem}"


def test_duplicate_practice_in_network_list(tmp_path, capsys):
    f = write(tmp_path / "nets.csv", "practice_code,network_name\nP81001,North PCN\nP81002,North PCN\n"
                                     "P81001,South PCN\n")
    assert refused(tmp_path, capsys, f) == f"{f}, row 4: practice P81001 is listed twice (rows 2 and 4)"


def test_duplicate_practice_in_epraccur(tmp_path, capsys):
    f = write(tmp_path / "epraccur.csv", "\n".join([epraccur_row("P81001"), epraccur_row("P81005"),
                                                    epraccur_row("P81001", name="AGAIN")]) + "\n")
    assert refused(tmp_path, capsys, f) == f"{f}, row 3: organisation P81001 appears twice (rows 1 and 3)"


def test_epraccur_active_practice_without_postcode(tmp_path, capsys):
    f = write(tmp_path / "epraccur.csv", "\n".join([epraccur_row("P81001"), epraccur_row("P81005", postcode="")]))
    assert refused(tmp_path, capsys, f) == f"{f}, row 2: practice P81005 is active but has no postcode"


def test_epraccur_closed_practice_without_postcode_is_only_skipped(tmp_path, capsys):
    project, _ = saved_project(tmp_path)
    f = write(tmp_path / "epraccur.csv", "\n".join([epraccur_row("P81001"), epraccur_row("P81005", postcode="",
                                                                                          status="C")]))
    assert main(["import", str(project), str(f)]) == 0
    assert "skipped 1: dormant or closed, and no other file refers to it" in capsys.readouterr().out
    assert "P81005" not in load_project(project).practices


def test_list_size_file_without_postcode(tmp_path, capsys):
    head = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
    f = write(tmp_path / "sizes.csv", head + "GP_PRAC_PAT_LIST,01JAN2021,GP,00Q,E38000014,P81001,BB1 1AE,ALL,ALL,5903\n"
                                             "GP_PRAC_PAT_LIST,01JAN2021,GP,00Q,E38000014,P81002,,ALL,ALL,4000\n")
    assert refused(tmp_path, capsys, f) == f"{f}, row 3: practice P81002 has no postcode"


def test_duplicate_registration_row(tmp_path, capsys):
    head = '"","PUBLICATION","EXTRACT_DATE","PRACTICE_CODE","PRACTICE_NAME","LSOA_CODE","SEX","Number.of.Patients"\n'
    rows = ['"1","GP_PRAC_PAT_LIST","01APR2020","P81001","ONE","E01012571","ALL",10',
            '"2","GP_PRAC_PAT_LIST","01APR2020","P81001","ONE","E01012572","ALL",20',
            '"3","GP_PRAC_PAT_LIST","01APR2020","P81001","ONE","E01012571","ALL",30']
    f = write(tmp_path / "lsoapops.csv", head + "\n".join(rows) + "\n")
    assert refused(tmp_path, capsys, f) == (
        f"{f}, row 4: practice P81001 has two rows for area E01012571 on 2020-04-01 (rows 2 and 4)")


def test_a_good_file_with_a_bad_one_imports_nothing(tmp_path, capsys):
    good = write(tmp_path / "good.csv", "practice_code,network_name,practice_name\nP81009,South PCN,NINE\n")
    bad = write(tmp_path / "bad.csv", "practice_code,network_name\nX1,South PCN\n")
    assert refused(tmp_path, capsys, good, bad).startswith(f"{bad}, row 2: practice_code 'X1'")


def test_unrecognised_file(tmp_path, capsys):
    f = write(tmp_path / "notes.csv", "colour,size\nred,3\n")
    assert refused(tmp_path, capsys, f).startswith(f"{f}: not a file this import recognises")


def test_practicepops_alone_has_no_date(tmp_path, capsys):
    f = write(tmp_path / "pops.csv", '"","ORG_CODE","SEX","AGE","POP","abs_pop"\n"1","P81001","MALE","0",-65,65\n')
    assert refused(tmp_path, capsys, f) == (
        f"{f}: has no extract date column: import it together with the registrations or list-size file "
        "of the same extract, whose date it takes")
