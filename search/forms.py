from django import forms

from .engine import MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        strip=True,
        max_length=MAX_QUERY,
        error_messages={"max_length": f"Search terms must be {MAX_QUERY} characters or fewer"},
    )
    kind = forms.CharField(required=False, widget=forms.HiddenInput)  # the kind filter: its links carry it
    page = forms.CharField(required=False, widget=forms.HiddenInput)  # the pagination links carry it

    def clean_page(self) -> int:
        # Only the pagination links set it: anything but a page number is the first page, not an error.
        raw = self.cleaned_data.get("page") or ""
        return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**6 else 1
