from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "council_type"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DeliveryBody)
class DeliveryBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "council", "operational_from"]
    list_filter = ["kind"]


@admin.register(Direction)
class DirectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "council", "issued_on", "status"]
    list_filter = ["status"]


@admin.register(MemorandumOfUnderstanding)
class MemorandumOfUnderstandingAdmin(SimpleHistoryAdmin):
    list_display = ["council", "delivery_body", "status", "signed_on"]
