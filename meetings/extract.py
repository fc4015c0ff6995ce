"""The words of an uploaded paper, read once on upload, for search and the agenda pack.

Only text is read: a PDF's text layer (pypdf), a Word document's paragraphs and a workbook's cell
values. Nothing is executed or fetched. A file whose text cannot be read (a scan, a damaged PDF)
is still a paper: its text is empty, and its title is still found.
"""

import logging
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, ElementTree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 500_000
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _pdf(file) -> str:
    reader = PdfReader(file)
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)


def _docx(file) -> str:
    with zipfile.ZipFile(file) as archive, archive.open("word/document.xml") as xml:
        paragraphs: list[str] = []
        for _event, element in ElementTree.iterparse(xml):
            if element.tag == f"{WORD}p":
                paragraphs.append("".join(t.text or "" for t in element.iter(f"{WORD}t")))
                element.clear()
    return "\n".join(p for p in paragraphs if p)


def _xlsx(file) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    lines: list[str] = []
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v not in (None, "")]
                if cells:
                    lines.append(" ".join(cells))
    finally:
        workbook.close()
    return "\n".join(lines)


READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


def paper_text(file, file_type: str) -> str:
    """The paper's words, tidied to single spaces within lines, at most MAX_CHARS; '' if none can be read."""
    reader = READERS.get(file_type)
    if reader is None:
        return ""
    file.seek(0)
    try:
        raw = reader(file)
    except (PyPdfError, zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException, ValueError, OSError) as exc:
        logger.info("No text read from a %s paper: %s", file_type, exc)
        raw = ""
    finally:
        file.seek(0)
    lines = (" ".join(line.split()) for line in raw.replace("\x00", "").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CHARS]
