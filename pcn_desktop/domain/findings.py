"""What a rule reports: one finding per broken expectation, with the figure that broke it."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Network


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    network: str = ""          # the network's code, or its name when it has none
    practice: str = ""         # ODS code
    value: Any = None          # the figure that broke the rule
    network_id: str = ""       # internal id, so a view can select the network
    area: str = ""             # a small-area code, for geography findings

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data.pop("network_id")
        if not data["area"]:
            data.pop("area")
        return data


def network_finding(rule_id: str, severity: Severity, net: "Network", message: str, value: Any = None,
                    practice: str = "", area: str = "") -> Finding:
    """A finding about one network, named by its code (or name) and kept with its id."""
    return Finding(rule_id, severity, message, network=net.key, practice=practice, value=value,
                   network_id=net.id, area=area)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.network, f.practice, f.rule))
