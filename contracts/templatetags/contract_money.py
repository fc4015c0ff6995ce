"""``{{ figure|recorded_money }}``: a sum in pounds, or "Not recorded" where no figure is held (never £0.00)."""

from decimal import Decimal

from django import template

from contracts.models import NOT_RECORDED

register = template.Library()


@register.filter
def recorded_money(value: Decimal | None) -> str:
    return NOT_RECORDED if value is None else f"£{value:,.2f}"
