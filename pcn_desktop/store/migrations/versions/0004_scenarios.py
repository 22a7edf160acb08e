"""scenarios: every configuration table is keyed by scenario

Revision ID: 0004
Revises: 0001

An older project becomes one scenario, ``current``. Its workforce plans' what-if copies (the
old ``workforce_plan.scenario`` names) each become a scenario of their own: a copy of
``current`` whose networks that had lines under that name get those lines as their plan.
The configuration settings (boundary build record, allowed boundary parts) move from the
project's settings to the scenario's.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None

DEFAULT = "current"
SCENARIO_SETTINGS = ("boundaries", "geo_expected_parts")
# (table, columns other than scenario) copied from the old tables
CONFIG_TABLES = {
    "network": ("id", "code", "name", "commissioner", "exemption", "exemption_reason", "nominated_payee",
                "agreement_signed", "notes"),
    "membership": ("id", "practice_code", "network_id", "start", "end"),
    "clinical_director": ("network_id", "name", "professional_body", "registration_number", "practice_code",
                          "wte", "start"),
    "boundary": ("network_id", "geometry", "provenance", "built"),
    "area_assignment": ("area_code", "network_id"),
    "workforce_plan": ("id", "network_id", "role", "wte", "start", "end", "annual_cost"),
}
OLD_INDEXES = {"network": ["ix_network_code"],
               "membership": ["ix_membership_network_id", "ix_membership_practice_code"],
               "workforce_plan": ["ix_workforce_plan_network_id"]}
CHILDREN_FIRST = ["workforce_plan", "area_assignment", "boundary", "clinical_director", "membership", "network"]


def _network_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["scenario", "network_id"], ["network.scenario", "network.id"])


def _create_new_tables() -> None:
    op.create_table(
        "scenario",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"))
    op.create_table(
        "network",
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("commissioner", sa.String(10), nullable=False),
        sa.Column("exemption", sa.String(20), nullable=False),
        sa.Column("exemption_reason", sa.Text(), nullable=False),
        sa.Column("nominated_payee", sa.String(10), nullable=False),
        sa.Column("agreement_signed", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["scenario"], ["scenario.name"]),
        sa.PrimaryKeyConstraint("scenario", "id"))
    op.create_index("ix_network_code", "network", ["code"])
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("practice_code", sa.String(10), nullable=False),
        sa.Column("network_id", sa.String(32), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["practice_code"], ["practice.code"]),
        _network_fk(),
        sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_membership_scenario", "membership", ["scenario"])
    op.create_index("ix_membership_network_id", "membership", ["network_id"])
    op.create_index("ix_membership_practice_code", "membership", ["practice_code"])
    op.create_table(
        "clinical_director",
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("network_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("professional_body", sa.String(50), nullable=False),
        sa.Column("registration_number", sa.String(50), nullable=False),
        sa.Column("practice_code", sa.String(10), nullable=False),
        sa.Column("wte", sa.Float(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        _network_fk(),
        sa.PrimaryKeyConstraint("scenario", "network_id"))
    op.create_table(
        "boundary",
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("network_id", sa.String(32), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False),
        sa.Column("provenance", sa.String(300), nullable=False),
        sa.Column("built", sa.DateTime(), nullable=True),
        _network_fk(),
        sa.PrimaryKeyConstraint("scenario", "network_id"))
    op.create_table(
        "area_assignment",
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("area_code", sa.String(12), nullable=False),
        sa.Column("network_id", sa.String(32), nullable=False),
        _network_fk(),
        sa.PrimaryKeyConstraint("scenario", "area_code"))
    op.create_table(
        "workforce_plan",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(100), nullable=False),
        sa.Column("wte", sa.Float(), nullable=False),
        sa.Column("start", sa.String(7), nullable=False),
        sa.Column("end", sa.String(7), nullable=False),
        sa.Column("annual_cost", sa.Float(), nullable=False),
        sa.Column("scenario", sa.String(100), nullable=False),
        _network_fk(),
        sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_workforce_plan_network_id", "workforce_plan", ["network_id"])


def _q(name: str) -> str:
    return '"' + name + '"'


def upgrade() -> None:
    conn = op.get_bind()
    what_ifs = [r[0] for r in conn.execute(sa.text(
        "SELECT DISTINCT scenario FROM workforce_plan WHERE scenario <> '' ORDER BY scenario"))]
    # A what-if that happened to be called "current" must not merge with the project itself.
    names = {w: (w if w.casefold() != DEFAULT else f"{w} (workforce)") for w in what_ifs}

    meta = conn.execute(sa.text("SELECT value FROM project_meta WHERE key = 'settings'")).fetchone()
    settings = json.loads(meta[0] or "{}") if meta else {}
    own = {k: settings.pop(k) for k in SCENARIO_SETTINGS if k in settings}
    if meta:
        conn.execute(sa.text("UPDATE project_meta SET value = :v WHERE key = 'settings'"),
                     {"v": json.dumps(settings)})

    for table, indexes in OLD_INDEXES.items():
        for index in indexes:
            op.drop_index(index, table_name=table)
    for table in CHILDREN_FIRST:
        op.rename_table(table, f"{table}_before_0004")
    _create_new_tables()

    scenario = sa.table("scenario", sa.column("name"), sa.column("position"), sa.column("active"),
                        sa.column("settings"))
    conn.execute(scenario.insert(), [{"name": n, "position": i, "active": int(i == 0), "settings": json.dumps(own)}
                                     for i, n in enumerate([DEFAULT] + [names[w] for w in what_ifs])])
    for table in reversed(CHILDREN_FIRST):
        cols = CONFIG_TABLES[table]
        listed = ", ".join(_q(c) for c in cols)
        where = " WHERE scenario = ''" if table == "workforce_plan" else ""
        conn.execute(sa.text(f"INSERT INTO {table} (scenario, {listed}) "
                             f"SELECT :s, {listed} FROM {table}_before_0004{where}"), {"s": DEFAULT})
        without_id = ", ".join(_q(c) for c in cols if not (c == "id" and table in ("membership", "workforce_plan")))
        for what_if in what_ifs:
            if table == "workforce_plan":
                # the what-if's own lines, and the plan of every network it did not touch
                conn.execute(sa.text(
                    f"INSERT INTO workforce_plan (scenario, {without_id}) SELECT :s, {without_id} "
                    f"FROM workforce_plan_before_0004 w WHERE w.scenario = :w OR (w.scenario = '' AND NOT EXISTS "
                    f"(SELECT 1 FROM workforce_plan_before_0004 x WHERE x.network_id = w.network_id "
                    f"AND x.scenario = :w)) ORDER BY w.id"), {"s": names[what_if], "w": what_if})
            else:
                order = " ORDER BY id" if table == "membership" else ""
                conn.execute(sa.text(f"INSERT INTO {table} (scenario, {without_id}) "
                                     f"SELECT :s, {without_id} FROM {table}_before_0004{order}"),
                             {"s": names[what_if]})
    for table in CHILDREN_FIRST:
        op.drop_table(f"{table}_before_0004")
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("scenario", sa.String(100), nullable=False, server_default=""))


def downgrade() -> None:
    raise NotImplementedError("a project with scenarios cannot be written in the older format")
