"""Per-request helpers every web view uses: the Viewer (resolved once and cached on the request) and
the guest access codes kept in the session, so a guest never retypes the code for their own report."""

import importlib
from typing import Any

from django.http import HttpRequest

from lapor.agencies.access import Viewer, viewer_for

__all__ = ["SESSION_CODES", "access_code_for", "is_htmx", "optional", "remember_access_code", "viewer"]

SESSION_CODES = "lapor_access_codes"
MAX_REMEMBERED = 20


def viewer(request: HttpRequest) -> Viewer:
    cached: Viewer | None = getattr(request, "_lapor_viewer", None)
    if cached is None:
        cached = viewer_for(request.user)
        request._lapor_viewer = cached  # type: ignore[attr-defined]
    return cached


def access_code_for(request: HttpRequest, tracking_id: str) -> str | None:
    codes: dict[str, str] = request.session.get(SESSION_CODES, {})
    return codes.get(tracking_id)


def remember_access_code(request: HttpRequest, tracking_id: str, code: str) -> None:
    codes: dict[str, Any] = dict(request.session.get(SESSION_CODES, {}))
    codes[tracking_id] = code.strip().upper()
    # Keep the session small: the most recent reports only.
    request.session[SESSION_CODES] = dict(list(codes.items())[-MAX_REMEMBERED:])


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def optional(module: str, name: str) -> Any | None:
    """A function of a module that may not exist yet (the router): None when it is missing."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
