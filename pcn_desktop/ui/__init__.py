"""The PySide6 workbench: the only layer that imports Qt. It shows and edits; the domain decides."""
