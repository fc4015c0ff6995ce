"""Decompression bombs built in memory, cheaply: a zip whose sheet XML inflates to hundreds of MB.

The sheet's deflate stream is one compressed megabyte (flushed so that it stands alone) repeated,
so building a 300 MB bomb costs a fraction of a second and a few hundred KB; only the CRC walks
the inflated bytes, a megabyte at a time.
"""

import struct
import zlib

MB = 1024 * 1024


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _zip(entries: list[tuple[str, bytes, int, int]], prefix: bytes = b"") -> bytes:
    """entries: (name, raw deflate stream, crc32, inflated size)."""
    out, directory = bytearray(prefix), bytearray()
    for name, raw, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(raw),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    start = len(out)
    out += directory
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0)
    return bytes(out)


def _small(name: str, text: str) -> tuple[str, bytes, int, int]:
    data = text.encode()
    return name, _deflate(data), zlib.crc32(data), len(data)


def xlsx_bomb(inflated_mb: int = 300) -> bytes:
    """A workbook whose first sheet inflates to ``inflated_mb`` MB of repeated cells."""
    chunk = (b'<c r="A1" t="n"><v>1</v></c>' * (MB // 27 + 1))[:MB]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    raw = block * inflated_mb + b"\x03\x00"  # an empty final block ends the stream
    crc = 0
    for _ in range(inflated_mb):
        crc = zlib.crc32(chunk, crc)
    return _zip(
        [
            _small("[Content_Types].xml", "<Types/>"),
            _small("xl/workbook.xml", "<workbook/>"),
            ("xl/worksheets/sheet1.xml", raw, crc, inflated_mb * MB),
        ]
    )


def many_entries(count: int, main_part: str = "xl/workbook.xml") -> bytes:
    empty = _small("x", "")
    return _zip(
        [_small("[Content_Types].xml", "<Types/>"), _small(main_part, "<workbook/>")]
        + [(f"xl/media/{i}.bin", empty[1], empty[2], 0) for i in range(count)]
    )


def with_macros(main_part: str = "xl/workbook.xml") -> bytes:
    return _zip(
        [
            _small("[Content_Types].xml", "<Types/>"),
            _small(main_part, "<workbook/>"),
            _small(main_part.split("/")[0] + "/vbaProject.bin", "Attribute VB_Name"),
        ]
    )


def pdf_zip_polyglot() -> bytes:
    """Starts as a PDF and is also a valid zip (the zip's offsets count the PDF prefix)."""
    prefix = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return _zip([_small("[Content_Types].xml", "<Types/>"), _small("word/document.xml", "<document/>")], prefix)
