"""A whole national import gives the same project by its fast paths as by the long ways.

The fast paths (column-wise readers, memberships added in bulk, a recount skipped when no
membership has a date, postcodes already in normal form) are each switched back to the
row-by-row or one-at-a-time way they replace, and the two projects must be equal in every
practice, list size, network, membership (in order, with dates), coordinate, finding and
summary line.
"""
from __future__ import annotations

import dataclasses
import random
import re
from datetime import date

import pytest
from conftest import shared_file

from pcn_desktop.domain.model import Membership, Project
from pcn_desktop.domain.rules import evaluate
from pcn_desktop.io import epraccur, epcn, mapping, populations, postcodes, text
from pcn_desktop.io.run import ImportRun
from pcn_desktop.settings import rule_settings_for

ENGLAND_2021 = [
    ("england", "psychty_pcn_hi_2022_des", "epraccur.csv"),
    ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv"),
    ("england", "psychty_pcn_hi_2022_des", "MAPPING_NHS_GEOGRAPHIES_2021.csv"),
]
ENGLAND_2019 = [
    ("england", "psychty_primary-care-geographies", "epraccur.csv"),
    ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv"),
    ("england", "psychty_Population-pyramids", "ePCN.xlsx"),
]


def _normal_postcode_long_way(raw: str) -> str:
    squeezed = "".join(raw.split()).upper()
    return f"{squeezed[:-3]} {squeezed[-3:]}" if len(squeezed) >= 5 else squeezed


def _long_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (epraccur, mapping, populations):
        monkeypatch.setattr(module, "read_table", lambda _path: None)   # the careful readers

    def count_at(project: Project, at: date | None) -> None:
        if at != project.counting_date:
            project._recount_at(at)

    def join_all(run: ImportRun, project: Project, joins) -> None:
        for code, network_id in joins:
            run.join(project, code, network_id)

    def add_memberships(project: Project, memberships) -> None:
        for m in memberships:
            project.add_membership(m)

    monkeypatch.setattr(Project, "count_at", count_at)
    monkeypatch.setattr(Project, "add_memberships", add_memberships)
    monkeypatch.setattr(ImportRun, "join_all", join_all)
    monkeypatch.setattr(postcodes, "normal_postcode", _normal_postcode_long_way)
    monkeypatch.setattr(postcodes, "_NORMAL_POSTCODE", re.compile(r"(?!)"))   # none taken as already normal
    monkeypatch.setattr(postcodes, "_NORMAL_KEYS", re.compile(r"(?!)"))
    monkeypatch.setattr(mapping, "_described_already", lambda *_args: False)      # every row looked at
    monkeypatch.setattr(populations, "_placed_already", lambda *_args: False)


def _snapshot(project: Project, summaries) -> dict:
    """Everything the import decides, with networks named by what they are, not their random ids."""
    def net(network_id: str) -> tuple:
        n = project.networks[network_id]
        return n.code, n.name, n.commissioner

    def memberships(ms: list[Membership]) -> list[tuple]:
        return [(m.practice_code, net(m.network_id), m.start, m.end) for m in ms]

    findings = evaluate(project, rule_settings_for(project))
    return {
        "practices": [dataclasses.asdict(p) for p in project.practices.values()],
        "list_sizes": {code: dict(by_date) for code, by_date in project.list_sizes.items()},
        "networks": [{**dataclasses.asdict(n), "id": None} for n in project.networks.values()],
        "memberships": memberships(project.memberships),
        "history": memberships(project._history),
        "members": {net(i): sorted(project.members(i)) for i in project.networks},
        "several": sorted(project.in_several_networks()),
        "counting_date": project.counting_date,
        "settings": dict(project.settings),
        "findings": sorted(repr({**dataclasses.asdict(f), "network_id": f.network_id and net(f.network_id)})
                           for f in findings),
        "summaries": [s.lines() for s in summaries],
    }


def _import(parts: list[tuple[str, ...]]) -> dict:
    run = ImportRun([shared_file(*p) for p in parts], today=date(2026, 1, 1))
    run.read()
    project = Project()
    summaries = run.apply(project)
    return _snapshot(project, summaries)


@pytest.mark.parametrize("parts", [ENGLAND_2021, ENGLAND_2019], ids=["mapping-2021", "epcn-2019"])
def test_england_imports_the_same_by_the_long_ways(parts, monkeypatch):
    fast = _import(parts)
    with monkeypatch.context() as patch:
        _long_ways(patch)
        slow = _import(parts)
    assert len(fast["practices"]) > 6800 and len(fast["memberships"]) > 6000
    assert sum(p["latitude"] is not None for p in fast["practices"]) > 6700
    for key in fast:
        assert fast[key] == slow[key], key


def test_bulk_memberships_keep_replacements_and_order():
    """A practice already in a network, or named twice, still goes through ``join``."""
    def run_joins(bulk: bool) -> tuple:
        project = Project()
        run = ImportRun([], today=date(2026, 1, 1))
        a, b, c = (run.network(project, code, f"Net {code}") for code in ("U1", "U2", "U3"))
        run.join(project, "P81002", a.id)
        joins = [("P81001", a.id), ("P81002", b.id), ("P81003", c.id), ("P81001", c.id), ("P81004", b.id)]
        if bulk:
            run.join_all(project, joins)
        else:
            for code, network_id in joins:
                run.join(project, code, network_id)
        names = {n.id: n.code for n in project.networks.values()}
        return ([(m.practice_code, names[m.network_id], m.start, m.end) for m in project.memberships],
                sorted(project.in_several_networks()))
    assert run_joins(True) == run_joins(False)
    assert ("P81001", "U3", None, None) in run_joins(True)[0]


def test_a_recount_skipped_when_nothing_is_dated_changes_nothing():
    def state(project: Project) -> tuple:
        return ([(m.practice_code, m.network_id, m.start, m.end) for m in project.memberships],
                {k: set(v) for k, v in project._members.items()}, set(project.in_several_networks()),
                project.counting_date)
    for dated in (False, True):
        fast, slow = Project(), Project()
        for p in (fast, slow):
            p.add_memberships([Membership("P81001", "n1"), Membership("P81001", "n2"),
                               Membership("P81002", "n1", date(2021, 4, 1) if dated else None)])
        fast.count_at(date(2021, 1, 1))
        slow._recount_at(date(2021, 1, 1))
        assert state(fast) == state(slow)
        assert ("P81002" in fast.members("n1")) is not dated


def test_normal_postcodes_as_the_long_way():
    rng = random.Random(5)
    cases = ["BB1 1AE", "bb1 1ae", "BB11AE", " BB1  1AE ", "B1 1AY", "EC1A 1BB", "AB", "", "BB1\t1AE",
             "BB1 1AÉ", "BB1 1ae"]
    cases += ["".join(rng.choice("AB9z \t0Q") for _ in range(rng.randint(0, 9))) for _ in range(20000)]
    for raw in cases:
        assert text.normal_postcode(raw) == _normal_postcode_long_way(raw), repr(raw)


def _hand_made(folder, encoding: str) -> list:
    """Three small files of the national shapes, with what the fast readers must get right:
    a quoted comma in epraccur (every field quoted) and in the network list (some fields
    quoted), padded and lower-case fields, a closed practice, a walk-in centre named by the
    list sizes, and a name the careful reader decodes as cp1252 when ``encoding`` is it."""
    from io_files import epraccur_row, write
    rows = [epraccur_row("P81001", name="ST ANDREW\u2019S, THE SURGERY"),
            epraccur_row("P81002", name=" two surgery ", ccg="00q"),
            epraccur_row("P81003", status="C", postcode=""),
            epraccur_row("P81004", postcode="bb1 1ae"),
            epraccur_row("Y01234", name="WALK-IN CENTRE", setting="8")]
    head = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
    sizes = "".join(f"GP_PRAC_PAT_LIST,01JAN2021,GP,00Q,E38000014,{code},BB1 1AE,ALL,ALL,{n}\n"
                    for code, n in (("P81001", 5903), ("P81002", 14738), ("P81004", 2100), ("Y01234", 800)))
    nets = ("PRACTICE_CODE,PCN_ODS_CODE,PCN_NAME,CCG_ODS_CODE\n"
            'P81001,U00001,"Blackburn, North PCN",00Q\nP81002,U00001,"Blackburn, North PCN",00Q\n'
            "P81004,U00002,Darwen  PCN,00Q\n")
    return [write(folder / "epraccur.csv", "\n".join(rows) + "\n", encoding),
            write(folder / "sizes.csv", head + sizes), write(folder / "nets.csv", nets, encoding)]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_hand_made_files_import_the_same_by_the_long_ways(tmp_path, encoding, monkeypatch):
    paths = _hand_made(tmp_path, encoding)
    taken = [text.read_table(p) is not None for p in paths]
    assert taken == ([True, True, True] if encoding == "utf-8" else [False, True, True])

    def imported() -> dict:
        run = ImportRun(paths, today=date(2026, 1, 1))
        run.read()
        project = Project()
        return _snapshot(project, run.apply(project))

    fast = imported()
    with monkeypatch.context() as patch:
        _long_ways(patch)
        slow = imported()
    assert fast == slow
    practices = {p["code"]: p for p in fast["practices"]}
    assert practices["P81001"]["name"] == "ST ANDREW\u2019S, THE SURGERY"
    assert practices["P81002"]["name"] == "two surgery" and practices["Y01234"]["kind"] == "prescribing setting 8"
    assert ("Blackburn, North PCN",) == tuple({n["name"] for n in fast["networks"] if n["code"] == "U00001"})


def test_network_ids_made_in_bulk_are_random_uuids_as_one_at_a_time():
    import uuid
    from pcn_desktop.domain.model import Network
    ids = Network.new_ids(1000) + [Network.new_id()]
    assert len(set(ids)) == len(ids)
    for text_id in ids:
        made = uuid.UUID(hex=text_id)
        assert made.hex == text_id and made.version == 4 and made.variant == uuid.RFC_4122
