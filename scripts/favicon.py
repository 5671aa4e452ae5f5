#!/usr/bin/env python3
"""Draws the default theme's favicon, static/favicon.ico: a register (sijill) in the theme's
link blue, lines of text ending at the right as Arabic lines do. One ICO holding a 16 and a
32 pixel PNG, made with the standard library alone so that it can be made again anywhere:

    python3 scripts/favicon.py            # writes static/favicon.ico
"""
import struct
import sys
import zlib
from pathlib import Path

BLUE = (0x0B, 0x57, 0xA4)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per pixel and axis: edges are anti-aliased


def inside(x, y):
    """The colour at (x, y) of the unit square, or None outside the rounded page."""
    r = 0.16
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return None
    # Three lines of writing, the last shorter and ending at the right.
    for top, start in ((0.25, 0.2), (0.45, 0.2), (0.65, 0.42)):
        if top <= y < top + 0.1 and start <= x < 0.8:
            return WHITE
    return BLUE


def png(size):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc, hits = [0, 0, 0], 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    c = inside((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
                    if c:
                        hits += 1
                        acc = [a + b for a, b in zip(acc, c)]
            alpha = round(255 * hits / SAMPLES**2)
            row += bytes([round(a / hits) for a in acc] if hits else [0, 0, 0]) + bytes([alpha])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def ico(sizes):
    images = [png(s) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(sizes, images):
        out += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


if __name__ == "__main__":
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "static" / "favicon.ico")
    dest.write_bytes(ico([16, 32]))
    print(f"{dest}: {dest.stat().st_size} bytes")
