"""A synthetic project for the window tests and benchmarks: a grid of square small areas,
networks of practices with fixed list sizes, deterministic (no randomness, no clock)."""
from __future__ import annotations

from datetime import date

from shapely.geometry import box

from pcn_desktop.domain.model import ClinicalDirector, Membership, Network, Practice, Project, SmallArea

LIST_DATE = date(2020, 1, 1)


def synthetic_project(networks: int = 3, per_network: int = 4, areas: bool = True) -> Project:
    """``networks`` networks of ``per_network`` practices. Practice i of network n has
    8,000 + 500*i patients, so a 4-practice network holds 35,000 (above the 30,000 minimum);
    network ids are N0, N1, ... and practice codes P00000, P00001, ... in order."""
    project = Project()
    project.name = "Synthetic CCG"
    side = max(1, int((networks * per_network) ** 0.5) + 1)
    for n in range(networks):
        nid = f"N{n}"
        net = Network(nid, f"Network {n:04d}", code=f"U{n:05d}", commissioner="00X")
        project.add_network(net)
        codes = []
        for i in range(per_network):
            k = n * per_network + i
            code = f"P{k:05d}"
            codes.append(code)
            row, col = divmod(k, side)
            lat, lon = 53.70 + row * 0.01, -2.50 + col * 0.015
            project.practices[code] = Practice(code, f"Practice {k} Surgery", postcode=f"BB{k % 10} 1AA",
                                               latitude=lat + 0.005, longitude=lon + 0.0075, commissioner="00X")
            project.list_sizes[code][LIST_DATE] = 8000 + 500 * i
            project.add_membership(Membership(code, nid))
            if areas:
                acode = f"E0{k:07d}"
                # neighbours' shared edges from the same expression, so they are noded exactly
                cell = box(-2.50 + col * 0.015, 53.70 + row * 0.01, -2.50 + (col + 1) * 0.015,
                           53.70 + (row + 1) * 0.01)
                project.areas[acode] = SmallArea(acode, f"Area {k}", cell, "Place")
                project.area_assignments[acode] = nid
                project.registrations[LIST_DATE][(code, acode)] = 8000 + 500 * i
        net.director = ClinicalDirector(f"Dr {n}", practice_code=codes[0], professional_body="GMC",
                                        registration_number=f"{7000000 + n}", wte=1.0, start=date(2019, 7, 1))
        net.nominated_payee = codes[0]
        net.agreement_signed = date(2019, 6, 30)
    return project
