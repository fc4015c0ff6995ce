"""Checks on uploaded papers: the extension and the file's own signature must agree, and size ≤ 10 MB."""

import zipfile

from django.core.exceptions import ValidationError

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
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError({"file": "The selected file is not a real PDF."})
        return extension
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError({"file": f"The selected file is not a real {extension.upper()} file."})
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        names = set()
    finally:
        file.seek(0)
    if OOXML_MAIN_PART[extension] not in names:
        raise ValidationError({"file": f"The selected file is not a real {extension.upper()} file."})
    return extension
