"""Turn a draft and its live data into the template context of a report document.

One template (``reports/document.html``) serves every report type, the HTML preview and
both documents of a version: the public report and, when some appendices are exempt, the
separate "NOT FOR PUBLICATION" document holding only those appendices.
"""

import re
from dataclasses import dataclass

from django.utils import timezone

from .models import NARRATIVE_SECTIONS, ProtectiveMarking, ReportDraft, ReportType
from .sections import PROVIDERS, DataSection, appendix_keys, read_sections

TEMPLATE = "reports/document.html"
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"

# Narrative sections each report type cannot go without (the form refuses to generate without them).
REQUIRED_NARRATIVE: dict[str, list[str]] = {
    ReportType.CABINET: ["purpose", "background", "current_position", "resources", "legal_governance"],
    ReportType.SPB_QUARTERLY: ["purpose", "current_position"],
    ReportType.SCRUTINY: ["purpose", "current_position"],
    ReportType.BOARD_RATIFICATION: ["purpose", "legal_governance"],
    ReportType.ANNUAL_CONTRACT_REVIEW: ["purpose", "current_position", "resources"],
}
REQUIRES_RECOMMENDATIONS = {ReportType.CABINET, ReportType.BOARD_RATIFICATION}
NOT_APPLICABLE = "Not applicable to this report."


@dataclass
class Paragraph:
    number: str
    text: str


@dataclass
class NumberedSection:
    number: int
    key: str
    heading: str
    paragraphs: list[Paragraph]


def paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; single line breaks are kept inside a paragraph."""
    return [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]


def recommendation_lines(text: str) -> list[str]:
    lines = [re.sub(r"^\s*(\d+[.)]|[-*•])\s*", "", line).strip() for line in (text or "").splitlines()]
    return [line for line in lines if line]


def missing_narrative(draft: ReportDraft) -> dict[str, str]:
    """Required sections left blank, by field, with a message naming each."""
    labels = dict(NARRATIVE_SECTIONS)
    report_name = ReportType(draft.report_type).label.lower()
    errors = {
        name: f"Enter the '{labels[name]}' section: a {report_name} cannot be generated without it"
        for name in REQUIRED_NARRATIVE[draft.report_type]
        if not paragraphs(getattr(draft, name))
    }
    if draft.report_type in REQUIRES_RECOMMENDATIONS and not recommendation_lines(draft.recommendations):
        errors["recommendations"] = f"Enter at least one recommendation: a {report_name} asks for a decision"
    return errors


def appendix_list(draft: ReportDraft, sections: list[DataSection]) -> list[dict]:
    """Numbered appendices: the documents appended by hand first (as the officer refers to them), then the
    data appendices. Sandwell's paper so has the Improvement Plan as 1, the Ofsted letter 2, the board table 3."""
    manual = [ln.strip() for ln in draft.other_appendices.splitlines() if ln.strip()]
    items = [{"number": i, "title": line, "section": None} for i, line in enumerate(manual, start=1)]
    offset = len(items)
    items += [{"number": offset + i, "title": PROVIDERS[s.key][0], "section": s} for i, s in enumerate(sections, 1)]
    return items


def numbered_sections(draft: ReportDraft, appendices: list[dict], *, exempt_document: bool) -> list[NumberedSection]:
    out = []
    for number, (name, heading) in enumerate(NARRATIVE_SECTIONS, start=1):
        texts = paragraphs(getattr(draft, name)) or [NOT_APPLICABLE]
        out.append(
            NumberedSection(number, name, heading, [Paragraph(f"{number}.{i}", t) for i, t in enumerate(texts, 1)])
        )
    number = len(NARRATIVE_SECTIONS) + 1
    lines = []
    for item in appendices:
        section = item["section"]
        suffix = ""
        if section is not None and section.exempt:
            suffix = f" ({NOT_FOR_PUBLICATION.lower()}{exempt_paragraph_text(draft)})"
        lines.append(Paragraph(f"{number}.{len(lines) + 1}", f"Appendix {item['number']} – {item['title']}{suffix}"))
    out.append(NumberedSection(number, "appendices", "Appendices", lines or [Paragraph(f"{number}.1", "None.")]))
    return out


def exempt_paragraph_text(draft: ReportDraft) -> str:
    return f": Schedule 12A, paragraph {draft.exempt_category}" if draft.exempt_category else ""


def header_rows(draft: ReportDraft) -> list[tuple[str, str]]:
    return [
        ("Subject", draft.subject),
        ("Cabinet Member", draft.cabinet_member),
        ("Director", draft.director),
        ("Contribution towards the council's ambition", draft.ambition_contribution),
        ("Key Decision", "Yes" if draft.key_decision else "No"),
        ("Forward Plan (28 day notice) Reference", draft.forward_plan_reference or "Not applicable"),
        ("Cabinet Member Approval and Date", draft.cabinet_member_approval),
        ("Director Approval", draft.director_approval),
        ("Reason for Urgency", draft.urgency_reason),
        ("Exempt Information Ref", draft.exempt_information),
        ("Ward Councillor(s) Consulted (if applicable)", draft.wards_consulted),
        ("Scrutiny consultation", draft.scrutiny_consultation),
        ("Contact Officer(s)", draft.contact_officer),
    ]


def has_exempt_appendices(draft: ReportDraft) -> bool:
    keys = set(appendix_keys(draft.report_type))
    return bool(keys & set(draft.exempt_appendices or []))


def build_context(
    draft: ReportDraft,
    *,
    exempt_document: bool = False,
    sections: list[DataSection] | None = None,
    snapshot_at=None,
    as_of=None,
) -> dict:
    """Everything the template needs. ``sections`` may be passed in when already read (generation). ``as_of``: the
    preview's KPI figures as they stood at that moment."""
    snapshot_at = snapshot_at or timezone.now()
    sections = sections if sections is not None else read_sections(draft, as_of=as_of)
    appendices = appendix_list(draft, sections)
    if exempt_document:
        marking = ProtectiveMarking.OFFICIAL_SENSITIVE.value
        shown = [a for a in appendices if a["section"] is not None and a["section"].exempt]
    else:
        # In numbering order; an exempt appendix is a one-line "not for publication" notice in its place.
        marking = draft.protective_marking
        shown = [a for a in appendices if a["section"] is not None]
    running_header = f"{marking} – {NOT_FOR_PUBLICATION}" if exempt_document else marking
    title = f"{draft.subject}: {NOT_FOR_PUBLICATION} appendices" if exempt_document else draft.subject
    return {
        "draft": draft,
        "report_type_label": ReportType(draft.report_type).label,
        "document_title": title,
        "exempt_document": exempt_document,
        "protective_marking": marking,
        "running_header": running_header,
        "not_for_publication": NOT_FOR_PUBLICATION,
        "header_rows": header_rows(draft),
        "recommendations": recommendation_lines(draft.recommendations),
        "sections": [] if exempt_document else numbered_sections(draft, appendices, exempt_document=False),
        "appendices": shown,
        "exempt_paragraph": exempt_paragraph_text(draft),
        "snapshot_at": snapshot_at,
    }
