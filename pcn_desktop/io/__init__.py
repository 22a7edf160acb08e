"""Readers and writers of the outside world's formats: NHS Digital CSVs, ePCN.xlsx, geographic files.

``read_files`` recognises each file by its content and parses it; ``ImportRun`` checks the
files against each other and applies them to a project in a fixed order. Nothing here
imports Qt or touches the project file: the caller saves.
"""
from .errors import ImportRefused

__all__ = ["ImportRefused"]
