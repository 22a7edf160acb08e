"""Formation: proposals that make a scenario pass the registration rules with the fewest moves.

Plain Python over the domain (no Qt, no SQL). ``propose`` builds a CP-SAT model (OR-Tools)
from a project and the user's constraints, solves it lexicographically (practices moved,
then patients moved, then patients' distance to their network), and re-checks every answer
with the real rules engine before handing it back.
"""
from .engine import ProposeResult, propose
from .options import FormationError, NoProposal, ProposeOptions
from .proposal import Move, Proposal, SaveProposal, apply_proposal, working_copy

__all__ = ["FormationError", "Move", "NoProposal", "Proposal", "ProposeOptions", "ProposeResult", "SaveProposal", "apply_proposal",
           "propose", "working_copy"]
