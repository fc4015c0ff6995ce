"""Shared model building blocks."""

from django.db import models


class TimeStampedModel(models.Model):
    """Every governance record knows when it was created and last changed (for incremental sync)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
