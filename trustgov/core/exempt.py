"""Exempt information (Schedule 12A to the Local Government Act 1972), for papers and for data.

A record marked exempt carries the paragraph that makes it so. Scrutiny members and the public
never see it: each scoping function filters its queryset through ``without_exempt`` for them,
so pages, the API, exports, PDFs and the history page (which all read through the scoping
functions) never carry it. Council officers, the DfE and the trust that is party to the record
still see it, marked "Not for publication".
"""

from django.core.exceptions import ValidationError
from django.db import models

from .roles import Role, role_of


class Schedule12A(models.TextChoices):
    """The exempt-information categories of Schedule 12A to the Local Government Act 1972."""

    PARA_1 = "1", "Paragraph 1: information relating to any individual"
    PARA_2 = "2", "Paragraph 2: information likely to reveal the identity of an individual"
    PARA_3 = "3", "Paragraph 3: financial or business affairs of any particular person"
    PARA_4 = "4", "Paragraph 4: consultations or negotiations on a labour relations matter"
    PARA_5 = "5", "Paragraph 5: legal professional privilege"
    PARA_6 = "6", "Paragraph 6: a proposed notice, order or direction"
    PARA_7 = "7", "Paragraph 7: prevention, investigation or prosecution of crime"


class ExemptRecord(models.Model):
    """Adds "not for publication" and its Schedule 12A paragraph to a governance record."""

    is_exempt = models.BooleanField("Not for publication (exempt)", default=False)
    exempt_category = models.CharField("Schedule 12A paragraph", max_length=2, choices=Schedule12A.choices, blank=True)

    class Meta:
        abstract = True


def exempt_constraint(name: str) -> models.CheckConstraint:
    """Exempt records name their paragraph; others name none."""
    return models.CheckConstraint(
        condition=models.Q(is_exempt=False, exempt_category="")
        | (models.Q(is_exempt=True) & ~models.Q(exempt_category="")),
        name=name,
    )


def hides_exempt(user) -> bool:
    """Scrutiny members and anyone not signed in (the public) never see exempt records."""
    if not getattr(user, "is_authenticated", False):
        return True
    if user.is_superuser:
        return False
    return role_of(user) == Role.SCRUTINY_MEMBER


def without_exempt(qs, user):
    return qs.filter(is_exempt=False) if hides_exempt(user) else qs


def check_exempt(*, is_exempt: bool, exempt_category: str) -> tuple[bool, str]:
    """The pair as it should be stored; an exempt record without its paragraph is refused, naming the field."""
    category = (exempt_category or "").strip()
    if is_exempt and category not in Schedule12A.values:
        raise ValidationError(
            {"exempt_category": "Choose the Schedule 12A paragraph that makes it exempt (not for publication)"}
        )
    return bool(is_exempt), category if is_exempt else ""
