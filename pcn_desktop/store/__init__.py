"""The project store: SQLite file per project by default, PostgreSQL for a team."""
from .project_file import ProjectFileError, load_project, save_project

__all__ = ["ProjectFileError", "load_project", "save_project"]
