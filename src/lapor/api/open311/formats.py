"""Open311's two formats. XML (mandatory) starts with a UTF-8 declaration and names list items by
their element (`services` → `service`); JSON drops the roots. Booleans are `true`/`false`, datetimes
W3C with their zone, absent values empty."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET  # nosec B405  # builds XML only, never parses input

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

__all__ = ["FORMATS", "errors", "render", "w3c"]

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of each item of a list, by the list's element name.
ITEM = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def w3c(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, Mapping):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _element(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _element(child, key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _element(child, ITEM.get(name, "item"), item)
    else:
        child.text = _text(value)


def render(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """`data` is a list (rendered under `root`, one item element each) or a mapping (the root's
    children). JSON is the data itself."""
    if fmt == "json":
        return JsonResponse(_json(data), status=status, safe=False, content_type=FORMATS["json"])
    element = ET.Element(root)
    if isinstance(data, Mapping):
        for key, value in data.items():
            _element(element, key, value)
    else:
        for item in data:
            _element(element, ITEM.get(root, "item"), item)
    body = DECLARATION + ET.tostring(element, encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type=FORMATS["xml"])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: `[{"code", "description"}]`, root `errors` in XML."""
    items = [{"code": status, "description": d} for d in descriptions]
    return render(fmt if fmt in FORMATS else "xml", "errors", items, status=status)
