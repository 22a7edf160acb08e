"""Whether a process on this machine is still running (for lock files, killed saves and crash logs)."""
from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """True while process ``pid`` runs here (or exists under another user)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover — os.kill(pid, 0) would end the process on Windows
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
