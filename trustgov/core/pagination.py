from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Pages of 50 by default; ``page_size`` from 1 to 200 (more is served as 200). A page size that is not a
    whole number of at least 1 is a 400 naming it, not quietly the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {self.page_size_query_param: f"Enter page_size as a whole number from 1 to {self.max_page_size}."}
            )
        return min(int(raw), self.max_page_size)


class BulkPagination(StandardPagination):
    """For a list of small rows that bulk readers pull whole (the month's RAG of every trust): pages of 50 by
    default as every list, up to 5,000 a page, so a national month (15,500 rows) is four requests, not 78. Each
    page is still read and paged in the database, so its cost is proportional to its size (ADR 0016)."""

    max_page_size = 5000

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter.get("schema", {}), "type": "integer", "minimum": 1}
        return parameters


def page_links(number: int, pages: int, url) -> dict:
    """The GOV.UK pagination component's links for page ``number`` of ``pages`` (``url(n)`` is page n's): the
    first, the last, the current and its neighbours, None for a gap (an ellipsis). No pages with one page."""
    if pages <= 1:
        return {"pages": [], "number": number, "previous": "", "next": ""}
    keep = {1, pages, number - 1, number, number + 1}
    items: list[tuple[int | None, str]] = []
    for n in range(1, pages + 1):
        if n in keep:
            items.append((n, url(n)))
        elif items[-1][0] is not None:
            items.append((None, ""))
    return {
        "pages": items,
        "number": number,
        "previous": url(number - 1) if number > 1 else "",
        "next": url(number + 1) if number < pages else "",
    }
