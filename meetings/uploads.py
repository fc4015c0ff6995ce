"""Checks on uploaded papers: the extension and the file's own signature must agree, and size ≤ 10 MB.

A paper is one kind of file: a PDF that is also a zip (a polyglot), a workbook or document with
macros, or a zip that unpacks to far more than it weighs is refused.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

from trustgov.core.archives import Limits, NotAZip, UnsafeFile, inspect_ooxml

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED = {"pdf", "docx", "xlsx"}
# An Office Open XML file is a zip whose main part names its kind.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_upload(file) -> str:
    """Return the file type ('pdf', 'docx' or 'xlsx') or raise a ValidationError naming 'file'."""
    if file is None:
        raise ValidationError({"file": "Choose a file to upload."})
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"file": "The selected file must be a PDF, DOCX or XLSX."})
    if file.size == 0:
        raise ValidationError({"file": "The selected file is empty."})
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "The selected file must be smaller than 10 MB."})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    label = name.rsplit("/", 1)[-1]
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError({"file": "The selected file is not a real PDF."})
        try:
            is_zip = zipfile.is_zipfile(file)
        finally:
            file.seek(0)
        if is_zip:
            raise ValidationError(
                {"file": f"{label} is not a real PDF: it is also a zip archive. Save it as a PDF and upload that."}
            )
        return extension
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError({"file": f"The selected file is not a real {extension.upper()} file."})
    limits = Limits(
        max_entries=settings.PAPER_MAX_ZIP_ENTRIES, max_uncompressed_bytes=settings.PAPER_MAX_UNCOMPRESSED_BYTES
    )
    try:
        names = set(inspect_ooxml(file, name=label, limits=limits))
    except NotAZip:
        names = set()
    except UnsafeFile as exc:
        raise ValidationError({"file": str(exc)}) from exc
    if OOXML_MAIN_PART[extension] not in names:
        raise ValidationError({"file": f"The selected file is not a real {extension.upper()} file."})
    return extension
