"""Checks on Office Open XML uploads (XLSX, DOCX) before anything reads them.

An XLSX or DOCX is a zip. The upload limit bounds the compressed file only: a 1 MB zip can unpack
to gigabytes. ``inspect_ooxml`` reads the zip's central directory alone (nothing is inflated) and
refuses too many entries, too much declared content, macros and files that are not one kind of
thing. Python's zipfile never inflates an entry past its declared size (and an entry that lies
fails its CRC), so the declared sizes bound what any later reader unpacks.
"""

import io
import zipfile
from dataclasses import dataclass

MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_CONTENT_TYPE = "macroEnabled"


class UnsafeFile(ValueError):
    """The file is refused; the message names it and says what to do."""


class NotAZip(UnsafeFile):
    """The file is not a readable zip at all."""


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_uncompressed_bytes: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def inspect_ooxml(file, *, name: str, limits: Limits) -> list[str]:
    """The zip's entry names, or UnsafeFile. ``file`` is bytes or a seekable binary file."""
    stream = io.BytesIO(file) if isinstance(file, bytes | bytearray) else file
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_entries:
                raise UnsafeFile(
                    f"{name} has too many parts ({len(entries):,}; the limit is {limits.max_entries:,}): "
                    "save it again as a plain workbook or document and upload that"
                )
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > limits.max_uncompressed_bytes:
                raise UnsafeFile(
                    f"{name} unpacks to {_megabytes(unpacked)}, more than the "
                    f"{_megabytes(limits.max_uncompressed_bytes)} allowed: remove what it does not need "
                    "(hidden sheets, images, unused rows) and upload it again"
                )
            names = [entry.filename for entry in entries]
            content_types = ""
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size <= 1024 * 1024:
                    content_types = archive.read(info).decode("utf-8", "replace")
    except zipfile.BadZipFile as exc:
        raise NotAZip(f"{name} is damaged or not an Office file: save it again and upload that") from exc
    finally:
        if not isinstance(file, bytes | bytearray):
            stream.seek(0)
    lowered = [n.lower().rsplit("/", 1)[-1] for n in names]
    if any(part in lowered for part in MACRO_PARTS) or MACRO_CONTENT_TYPE in content_types:
        raise UnsafeFile(
            f"{name} contains macros: save it as a plain .xlsx or .docx (not .xlsm or .docm) and upload again"
        )
    return names
