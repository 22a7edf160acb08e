"""The project database schema (SQLAlchemy 2). One project = one SQLite file by default.

Geometry is kept as WKB in WGS84 so that a plain SQLite file, a PostgreSQL database without
PostGIS and every GIS tool that reads WKB can all hold it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Date, DateTime, Float, ForeignKey, ForeignKeyConstraint, Integer, LargeBinary, String,
                        Text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProjectMeta(Base):
    __tablename__ = "project_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class PracticeRow(Base):
    __tablename__ = "practice"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")          # lines joined by newline
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(1), default="A")
    opened: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed: Mapped[date | None] = mapped_column(Date, nullable=True)
    commissioner: Mapped[str] = mapped_column(String(10), default="", index=True)


class ListSizeRow(Base):
    __tablename__ = "list_size"
    practice_code: Mapped[str] = mapped_column(ForeignKey("practice.code"), primary_key=True)
    counted_at: Mapped[date] = mapped_column(Date, primary_key=True)
    patients: Mapped[int] = mapped_column(Integer)


class SmallAreaRow(Base):
    __tablename__ = "small_area"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    geometry: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class RegistrationRow(Base):
    __tablename__ = "registration"
    practice_code: Mapped[str] = mapped_column(ForeignKey("practice.code"), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    counted_at: Mapped[date] = mapped_column(Date, primary_key=True)
    patients: Mapped[int] = mapped_column(Integer)


class ScenarioRow(Base):
    """A named configuration; the per-scenario tables below carry its name in ``scenario``."""
    __tablename__ = "scenario"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[int] = mapped_column(Integer, default=0)       # 1 for the one the project opens on
    settings: Mapped[str] = mapped_column(Text, default="{}")     # its configuration settings (JSON)


def _scenario_column() -> Mapped[str]:
    return mapped_column(String(100), ForeignKey("scenario.name"), primary_key=True)


# A per-scenario row names its network by (scenario, network id): network ids are kept when a
# scenario is copied, so the same network can be followed from one scenario to another.
def _network_key() -> tuple[ForeignKeyConstraint]:
    return (ForeignKeyConstraint(["scenario", "network_id"], ["network.scenario", "network.id"]),)


class NetworkRow(Base):
    __tablename__ = "network"
    scenario: Mapped[str] = _scenario_column()
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), default="", index=True)
    name: Mapped[str] = mapped_column(String(200))
    commissioner: Mapped[str] = mapped_column(String(10), default="")
    exemption: Mapped[str] = mapped_column(String(20), default="")
    exemption_reason: Mapped[str] = mapped_column(Text, default="")
    nominated_payee: Mapped[str] = mapped_column(String(10), default="")
    agreement_signed: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class MembershipRow(Base):
    __tablename__ = "membership"
    __table_args__ = _network_key()
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario: Mapped[str] = mapped_column(String(100), index=True)
    practice_code: Mapped[str] = mapped_column(ForeignKey("practice.code"), index=True)
    network_id: Mapped[str] = mapped_column(String(32), index=True)
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)


class ClinicalDirectorRow(Base):
    __tablename__ = "clinical_director"
    __table_args__ = _network_key()
    scenario: Mapped[str] = mapped_column(String(100), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    professional_body: Mapped[str] = mapped_column(String(50), default="")
    registration_number: Mapped[str] = mapped_column(String(50), default="")
    practice_code: Mapped[str] = mapped_column(String(10), default="")
    wte: Mapped[float] = mapped_column(Float, default=0.0)
    start: Mapped[date | None] = mapped_column(Date, nullable=True)


class BoundaryRow(Base):
    __tablename__ = "boundary"
    __table_args__ = _network_key()
    scenario: Mapped[str] = mapped_column(String(100), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    geometry: Mapped[bytes] = mapped_column(LargeBinary)
    provenance: Mapped[str] = mapped_column(String(300), default="")
    built: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AreaAssignmentRow(Base):
    __tablename__ = "area_assignment"
    __table_args__ = _network_key()
    scenario: Mapped[str] = mapped_column(String(100), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(32))


class WorkforceRow(Base):
    __tablename__ = "workforce_plan"
    __table_args__ = _network_key()
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    network_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(100))
    wte: Mapped[float] = mapped_column(Float)
    start: Mapped[str] = mapped_column(String(7))
    end: Mapped[str] = mapped_column(String(7))
    annual_cost: Mapped[float] = mapped_column(Float)
    scenario: Mapped[str] = mapped_column(String(100))


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    what: Mapped[str] = mapped_column(Text)
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    when: Mapped[datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(100), default="")
    scenario: Mapped[str] = mapped_column(String(100), default="")
