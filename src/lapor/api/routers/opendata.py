"""Open data: the public, de-identified reports as CSV (schema in docs/integration.md)."""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from lapor.channels.opendata import csv_lines

router = Router(tags=["open data"])


@router.get(
    "/open-data/reports.csv",
    auth=None,
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {"description": "CSV, UTF-8, one row per public report", "content": {"text/csv": {}}}
        }
    },
)
def reports_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every public report (verified, not confidential, not archived), without any reporter data,
    addresses or exact coordinates, whoever asks."""
    response = StreamingHttpResponse(csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lapor-reports.csv"'
    return response
