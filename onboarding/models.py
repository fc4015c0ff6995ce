"""An uploaded workbook kept between its preview and the officer's confirmation.

The confirm step reads the file from here (checked against its hash), never from the form: what is
confirmed is exactly what was previewed. It is not governance data: the records the import creates
carry their own history ("Onboarding import: <file name>").
"""

import uuid

from django.conf import settings
from django.db import models


class OnboardingUpload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey("organisations.Council", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
