"""Follow-up items requested by resolutions on exempt items become exempt on the item's paragraph.

Before this, a requested follow-up was created open to publication although it repeats the exempt
item's title. Each correction is recorded in the item's history with the reason.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Exempt: follows up an exempt item"
FIELDS = ("id", "created_at", "updated_at", "order", "minute_number", "title", "report", "report_author")


def exempt_follow_ups(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    HistoricalAgendaItem = apps.get_model("meetings", "HistoricalAgendaItem")
    now = timezone.now()
    while True:
        leaked = list(
            AgendaItem.objects.filter(is_exempt=False, requested_by__agenda_item__is_exempt=True).select_related(
                "requested_by__agenda_item"
            )
        )
        if not leaked:
            return
        for item in leaked:
            item.is_exempt = True
            item.exempt_category = item.requested_by.agenda_item.exempt_category
            item.updated_at = now
            item.save(update_fields=["is_exempt", "exempt_category", "updated_at"])
            HistoricalAgendaItem.objects.create(
                **{name: getattr(item, name) for name in FIELDS},
                is_exempt=True,
                exempt_category=item.exempt_category,
                meeting_id=item.meeting_id,
                requested_by_id=item.requested_by_id,
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_declaration_links_to_boards_register")]

    operations = [migrations.RunPython(exempt_follow_ups, migrations.RunPython.noop)]
