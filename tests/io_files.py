"""Writers of small NHS-shaped files for the importer tests: every value chosen by the test."""
from __future__ import annotations

import hashlib
from pathlib import Path

from pcn_desktop.domain.model import Membership, Network, Practice, Project
from pcn_desktop.store import save_project


def epraccur_row(code: str, name: str = "SURGERY", postcode: str = "BB1 1AE", status: str = "A",
                 ccg: str = "00Q", setting: str = "4") -> str:
    fields = [code, name, "Y54", "Q47", "1 HIGH STREET", "", "BLACKBURN", "LANCASHIRE", "", postcode,
              "19740401", "", status, "B", ccg, "20130401", "", "01254 000000", "", "", "", "0", "",
              ccg, "", setting, ""]
    assert len(fields) == 27
    return ",".join(f'"{f}"' for f in fields)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def saved_project(tmp_path: Path) -> tuple[Path, str]:
    """A project with two practices in one network, saved; returns (path, sha256 of the file)."""
    project = Project()
    project.name = "Before"
    for code, name in (("P81001", "ONE SURGERY"), ("P81002", "TWO SURGERY")):
        project.practices[code] = Practice(code, name, postcode="BB1 1AE", commissioner="00Q")
    net = project.add_network(Network(Network.new_id(), "North PCN", "U00001", "00Q"))
    for code in ("P81001", "P81002"):
        project.add_membership(Membership(code, net.id))
    path = tmp_path / "before.pcnproj"
    save_project(project, path)
    return path, digest(path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
