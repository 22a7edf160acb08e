"""Funding for a whole-England-sized project: 1,250 networks of 5 practices, 4 planned roles each.

Prints the time to compute every network's funding for one year (ccg_funding), the time of the
funding rules over all networks, and, as a baseline measured in the same run, the time to sum
every network's list (the least any funding figure must do). Run:
    .venv/bin/python benchmarks/bench_funding.py
"""
from __future__ import annotations

import time
from datetime import date

from pcn_desktop.domain.model import Membership, Network, PlannedRole, Practice, Project
from pcn_desktop.domain.rules import evaluate
from pcn_desktop.funding.model import ccg_funding
from pcn_desktop.funding.policy_store import policy_for
from pcn_desktop.settings import rule_settings_for

NETWORKS, PER_NETWORK = 1250, 5


def build() -> Project:
    p = Project()
    for n in range(NETWORKS):
        nid = f"n{n}"
        p.add_network(Network(nid, f"PCN {n:04d}", code=f"U{n:05d}"))
        for k in range(PER_NETWORK):
            code = f"A{n * PER_NETWORK + k:05d}"
            p.practices[code] = Practice(code)
            for year in range(2019, 2025):
                p.list_sizes[code][date(year, 1, 1)] = 7000 + 13 * k + n % 97
            p.add_membership(Membership(code, nid))
        p.workforce[nid] = [PlannedRole("Clinical pharmacist", 1.0, "2023-04", "2024-03", 60000),
                            PlannedRole("Care coordinator", 2.0, "2023-07", "2024-03", 30000),
                            PlannedRole("Paramedic", 1.0, "2023-04", "2024-03", 50000),
                            PlannedRole("Social prescribing link worker", 1.0, "2023-04", "2024-03", 38000)]
    return p


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    project = build()
    policy = policy_for("2023/24")
    project.settings["contract_year"] = "2023/24"
    settings = rule_settings_for(project)
    rules = ["arrs-plan-invalid", "arrs-role-not-eligible", "arrs-over-entitlement",
             "arrs-entitlement-unknown", "arrs-maximum-unknown"]
    baseline = best(lambda: [project.network_list_size(n, policy.list_date) for n in project.networks])
    funding = best(lambda: ccg_funding(project, policy))
    checks = best(lambda: evaluate(project, settings, rules=rules))
    one = best(lambda: ccg_funding(project, policy).networks[0], repeat=1)
    # what a move re-checks: the funding rules for the two networks it touched, many times
    # over (one look at the policy files per evaluation, not per rule)
    pair = ["n0", "n1"]
    move = best(lambda: [evaluate(project, settings, scope=pair, rules=rules) for _ in range(100)]) / 100
    pair_baseline = best(lambda: [[project.network_list_size(n, policy.list_date) for n in pair]
                                  for _ in range(100)]) / 100
    print(f"{NETWORKS} networks, {NETWORKS * PER_NETWORK} practices, {NETWORKS * 4} planned roles")
    print(f"baseline: sum every network's list      {baseline * 1000:8.1f} ms")
    print(f"ccg_funding (all networks, 2023/24)     {funding * 1000:8.1f} ms  ({funding / baseline:5.1f} x baseline)")
    print(f"funding rules over all networks         {checks * 1000:8.1f} ms  ({checks / baseline:5.1f} x baseline)")
    print(f"baseline: sum two networks' lists       {pair_baseline * 1000:8.3f} ms")
    print(f"funding rules for two networks (a move) {move * 1000:8.3f} ms  ({move / pair_baseline:5.1f} x baseline)")
    print(f"(first full computation incl. policy load {one * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
