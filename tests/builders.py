"""Small hand-made projects for unit tests: every figure in them is chosen, not generated."""
from __future__ import annotations

from datetime import date

from pcn_desktop.domain.model import ClinicalDirector, Membership, Network, Practice, Project

LIST_DATE = date(2020, 1, 1)


def practice(project: Project, code: str, patients: int, name: str = "") -> Practice:
    p = Practice(code, name or f"Practice {code}", postcode="BB1 1AA", latitude=53.75, longitude=-2.48)
    project.practices[code] = p
    project.list_sizes[code][LIST_DATE] = patients
    return p


def network(project: Project, name: str, members: dict[str, int], code: str = "",
            complete: bool = True) -> Network:
    """A network with the given members (code -> patients); complete=True fills in a
    director, payee and signed agreement so only what a test breaks is reported."""
    net = project.add_network(Network(Network.new_id(), name, code=code))
    for pcode, patients in members.items():
        practice(project, pcode, patients)
        project.add_membership(Membership(pcode, net.id, date(2019, 7, 1)))
    if complete and members:
        first = sorted(members)[0]
        size = sum(members.values())
        net.director = ClinicalDirector("Dr A Director", first, "GMC", "1234567",
                                        wte=round(0.25 * size / 50000 + 0.05, 2), start=date(2019, 7, 1))
        net.nominated_payee = first
        net.agreement_signed = date(2019, 6, 28)
    return net
