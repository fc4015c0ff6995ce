"""Notification preferences per kind (immediate, daily or weekly digest, or off), and each notification's kind.

Each person's one choice so far (immediate or weekly) is carried over to every registered kind, so a weekly
digest stays weekly for everything. Each notification gets the kind of its reminder (an escalation has the
kind it escalates), which is what the digests select by.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ESCALATION_SUFFIX = "_escalation"


def kinds_for_existing_choice():
    # The kinds registered by the apps (AppConfig.ready() has run before migrations).
    from trustgov.core.notifications import notification_kinds

    return [kind.code for kind in notification_kinds()]


def forwards(apps, schema_editor):
    Notification = apps.get_model("meetings", "Notification")
    NotificationPreference = apps.get_model("meetings", "NotificationPreference")
    for notification in Notification.objects.filter(reminder__isnull=False).select_related("reminder"):
        notification.kind = notification.reminder.kind.removesuffix(ESCALATION_SUFFIX)
        notification.save(update_fields=["kind"])
    codes = kinds_for_existing_choice()
    for old in NotificationPreference.objects.filter(kind=""):
        for code in codes:
            NotificationPreference.objects.create(user_id=old.user_id, kind=code, frequency=old.frequency)
        old.delete()


def backwards(apps, schema_editor):
    NotificationPreference = apps.get_model("meetings", "NotificationPreference")
    weekly = set(NotificationPreference.objects.filter(frequency="weekly").values_list("user_id", flat=True))
    NotificationPreference.objects.all().delete()
    for user_id in weekly:
        NotificationPreference.objects.create(user_id=user_id, kind="", frequency="weekly")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_joint_meetings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                blank=True, help_text="The registered kind (an escalation has its reminder's).", max_length=50
            ),
        ),
        migrations.AddField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(default="", max_length=50),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notification_preferences",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("immediate", "Email straight away"),
                    ("daily", "Daily digest"),
                    ("weekly", "Weekly digest"),
                    ("off", "No email (on the notifications page only)"),
                ],
                default="immediate",
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterModelOptions(name="notificationpreference", options={"ordering": ["user", "kind"]}),
        migrations.AddConstraint(
            model_name="notificationpreference",
            constraint=models.UniqueConstraint(fields=("user", "kind"), name="notification_preference_per_kind"),
        ),
    ]
