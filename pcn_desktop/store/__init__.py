"""The project store: SQLite file per project by default, PostgreSQL for a team."""
from .locks import ProjectLocked
from .project_file import ProjectFileError, load_project, save_project
from .versions import StaleSave

__all__ = ["ProjectFileError", "ProjectLocked", "StaleSave", "load_project", "save_project"]
