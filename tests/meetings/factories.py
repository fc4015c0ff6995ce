"""Factories for meetings tests (factory_boy, en_GB)."""

from datetime import date, time

import factory

from contracts.models import Contract, Obligation
from meetings.models import Action, AgendaItem, BodyKind, Meeting


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    council = factory.SelfAttribute("delivery_body.council")
    title = factory.Sequence(lambda n: f"Service contract {n}")
    reference = factory.Sequence(lambda n: f"MTG-{n:04d}")
    status = Contract.Status.LIVE
    start_date = date(2024, 4, 1)
    end_date = date(2029, 3, 31)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    contract = factory.SubFactory(ContractFactory)
    kind = Obligation.Kind.PERFORMANCE_MEETING
    title = factory.LazyAttribute(lambda o: Obligation.Kind(o.kind).label)
    owner = "DCS"
    recurrence = Obligation.Recurrence.MONTHLY


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SelfAttribute("delivery_body.council")
    body_kind = BodyKind.STRATEGIC_PARTNERSHIP_BOARD
    title = factory.Sequence(lambda n: f"Strategic Partnership Board {n}")
    date = date(2027, 1, 20)
    start_time = time(14, 0)
    place = "Council House"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence", nb_words=5)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Faker("sentence")
    owner = "Trust Chief Executive"
    due_date = date(2027, 2, 1)


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes(main_part: str = "word/document.xml") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def paper(item: AgendaItem, title: str, *, exempt_category: str = "", published: bool = True):
    """A paper on an agenda item: published now (or left a draft), exempt when given a Schedule 12A category."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django.utils.text import slugify

    from meetings.models import Document

    document = Document(
        agenda_item=item,
        title=title,
        file_type=Document.FileType.PDF,
        size=len(PDF_BYTES),
        is_exempt=bool(exempt_category),
        exempt_category=exempt_category,
    )
    if published:
        document.publication = Document.Publication.PUBLISHED
        document.approved_at = document.published_at = timezone.now()
    document.file.save(f"{slugify(title)[:60]}.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def plant_papers(meeting) -> dict[str, str]:
    """A published public paper, a published exempt paper, a paper on an exempt item and a draft."""
    item = AgendaItem.objects.create(meeting=meeting, order=90, title="Children's social care performance")
    secret = AgendaItem.objects.create(
        meeting=meeting, order=91, title="Exempt item: staffing restructure", is_exempt=True, exempt_category="1"
    )
    return {
        "public": paper(item, "Performance report for scrutiny").title,
        "exempt": paper(item, "Exempt appendix: named placements", exempt_category="2").title,
        "exempt item": paper(secret, "Restructure proposals").title,
        "draft": paper(item, "Draft briefing on sufficiency", published=False).title,
    }
