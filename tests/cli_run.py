"""The command line run in-process for the real-data tests: status and what it printed, and
an import of real files followed by ``validate --json``."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from pcn_desktop.cli import main


def run_cli(args: list[str]) -> tuple[int, str]:
    """``pcn-desktop ARGS``: (exit status, standard output)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    return status, out.getvalue()


def import_and_validate(target: Path, files: list[str], *options: str) -> dict:
    """Import ``files`` into a new project at ``target`` and validate it: the project's path,
    the import's summary, the validation report (parsed) and the files."""
    status, summary = run_cli(["import", str(target), *files, *options])
    assert status == 0, summary
    _, report = run_cli(["validate", str(target), "--json"])
    return {"path": str(target), "summary": summary, "report": json.loads(report), "files": files}


# All England, as ../shared/data holds it (SOURCES.md): the 2021/22 catalogue, the January 2021
# list sizes, the May 2022 ePCN and NHS Digital's 2021 practice -> PCN mapping
EPRACCUR_2021 = ("england", "psychty_pcn_hi_2022_des", "epraccur.csv")
LISTS_2021 = ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv")
EPCN_2022 = ("england", "psychty_pcn_hi_2022_des", "ePCN.xlsx")
MAPPING_2021 = ("england", "psychty_pcn_hi_2022_des", "MAPPING_NHS_GEOGRAPHIES_2021.csv")


def england_project(folder: Path, *parts: tuple[str, ...]) -> dict:
    """``import_and_validate`` of these England files (a skip naming any that is missing)."""
    from conftest import shared_file
    return import_and_validate(folder / "england.pcnproj", [str(shared_file(*p)) for p in parts])
