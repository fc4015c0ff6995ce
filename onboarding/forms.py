from django import forms

from trustgov.core.forms import GovukForm

MAX_BYTES = 10 * 1024 * 1024  # the compressed file; core/archives bounds what it unpacks to


class UploadForm(GovukForm):
    submit_label = "Check the file"
    file = forms.FileField(
        label="Onboarding workbook (.xlsx)",
        help_text="Nothing is saved yet: you will see what the file creates and changes first.",
        error_messages={"required": "Choose the onboarding workbook to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):,.1f} MB: the largest allowed is "
                f"{MAX_BYTES // (1024 * 1024)} MB. Import it in parts"
            )
        return upload
