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
    kind = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def clean_page(self):
        return self.cleaned_data.get("page") or 1
