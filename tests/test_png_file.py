"""The screenshot's PNG writer: what Qt (and any PNG reader) reads back is the grabbed image."""
from __future__ import annotations

import zlib

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from pcn_desktop.ui.png_file import png_bytes, write_png


def _drawn(fmt: QImage.Format, width: int = 301, height: int = 97) -> QImage:
    """An image with text, a gradient of greys and an odd width (rows padded in memory)."""
    image = QImage(width, height, fmt)
    image.fill(QColor(250, 248, 240, 255))
    painter = QPainter(image)
    for x in range(0, width, 3):
        painter.fillRect(QRect(x, 0, 3, height // 2), QColor(x % 256, (3 * x) % 256, 255 - x % 256))
    painter.setPen(QColor(20, 40, 200))
    painter.drawText(QRect(4, height // 2, width - 8, height // 2), Qt.AlignmentFlag.AlignLeft, "Ashbridge North PCN 31,204")
    painter.end()
    return image


@pytest.mark.parametrize("fmt", [QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32_Premultiplied,
                                 QImage.Format.Format_RGB888])
def test_pixels_read_back_the_same(qapp, tmp_path, fmt):
    image = _drawn(fmt)
    target = tmp_path / "shot.png"
    assert write_png(image, target)
    back = QImage(str(target))
    assert not back.isNull() and back.size() == image.size()
    expected = image.convertToFormat(QImage.Format.Format_RGB32)
    assert back.convertToFormat(QImage.Format.Format_RGB32) == expected


def test_transparency_is_kept(qapp, tmp_path):
    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    image.setPixelColor(5, 7, QColor(200, 10, 30, 128))
    target = tmp_path / "alpha.png"
    assert write_png(image, target)
    back = QImage(str(target)).convertToFormat(QImage.Format.Format_ARGB32)
    assert back.pixelColor(5, 7) == QColor(200, 10, 30, 128)
    assert back.pixelColor(0, 0).alpha() == 0


def test_file_is_well_formed_png(qapp):
    data = png_bytes(_drawn(QImage.Format.Format_RGB32, 10, 4))
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # every chunk's CRC holds, and the image data inflates to height rows of 1 + 3 * width bytes
    at, kinds, raw = 8, [], b""
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        assert int.from_bytes(data[at + 8 + length:at + 12 + length], "big") == zlib.crc32(kind + body)
        kinds.append(kind)
        raw += body if kind == b"IDAT" else b""
        at += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
    assert len(zlib.decompress(raw)) == 4 * (1 + 3 * 10)


def test_nothing_to_write_or_nowhere_to_write(qapp, tmp_path):
    assert not write_png(QImage(), tmp_path / "empty.png")
    assert not (tmp_path / "empty.png").exists()
    assert not write_png(_drawn(QImage.Format.Format_RGB32), tmp_path / "no-such-folder" / "x.png")
