"""Registration rules: ``evaluate(project, settings)`` runs them all."""
from .engine import RULES, Context, FindingsCache, Rule, evaluate, rule

__all__ = ["RULES", "Context", "FindingsCache", "Rule", "evaluate", "rule"]
