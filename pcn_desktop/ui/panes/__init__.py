"""Dockable panes of the main window, one small widget each."""
