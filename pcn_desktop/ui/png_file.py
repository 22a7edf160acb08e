"""Write a grabbed window to a PNG file: ``write_png(image, path) -> bool``.

Qt's own PNG writer spends ~27 ms on a 1500 x 900 window whatever its quality setting
(converting each row and letting libpng try every filter on it); the screenshot's start
waits for that. Here the pixels are reordered by numpy in one pass and deflated by zlib at
its fastest level with no filter, which suits a window's flat colours: ~10 ms, a file a
little smaller than Qt's, and the same pixels read back.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGB, RGBA = 2, 6                   # PNG colour types


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(image: QImage) -> bytes:
    """The image as a PNG file's bytes: 8-bit RGB, or RGBA when it has an alpha channel."""
    alpha = image.hasAlphaChannel()
    # Qt keeps both as 32-bit words, B G R A in memory on a little-endian machine
    wanted = QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32
    if image.format() != wanted:
        image = image.convertToFormat(wanted)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    pixels = pixels.reshape(height, image.bytesPerLine())[:, :width * 4].reshape(height, width, 4)
    channels = 4 if alpha else 3
    rows = np.zeros((height, 1 + width * channels), np.uint8)     # each row: filter 0, then pixels
    out = rows[:, 1:].reshape(height, width, channels)
    out[..., 0], out[..., 1], out[..., 2] = pixels[..., 2], pixels[..., 1], pixels[..., 0]
    if alpha:
        out[..., 3] = pixels[..., 3]
    header = struct.pack(">IIBBBBB", width, height, 8, RGBA if alpha else RGB, 0, 0, 0)
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + _chunk(b"IEND", b""))


def write_png(image: QImage, path: str | Path) -> bool:
    """Write ``image`` to ``path`` as PNG; False when the image is empty or the file cannot be written."""
    if image.isNull():
        return False
    try:
        Path(path).write_bytes(png_bytes(image))
    except OSError:
        return False
    return True
