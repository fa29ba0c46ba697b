"""Routing intelligence over HTTP: the router's top agencies for the verifier's route form (staff only),
and similar open reports for anyone about to file (or merge) one. Parse -> access -> one call -> render.

Registered before the reports router, so `POST /reports/similar` is never taken for a tracking id."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from lapor.agencies.access import Viewer
from lapor.agencies.models import Category
from lapor.api.auth import require_user
from lapor.api.errors import ErrorOut
from lapor.core.errors import Forbidden, Invalid
from lapor.geo.models import Region

router = Router(tags=["routing"])

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class SuggestIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(max_length=10_000)
    region: str | None = Field(None, max_length=13)
    category: str | None = Field(None, max_length=32)


class SuggestionOut(Schema):
    agency_code: str
    agency_name: str
    unit_code: str | None = None
    confidence: float
    reason: str


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


class SimilarIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(max_length=10_000)
    region: str | None = Field(None, max_length=13)
    category: str | None = Field(None, max_length=32)


class SimilarOut(Schema):
    tracking_id: str
    title: str
    status: str
    score: float
    supporters: int


class SimilarPage(Schema):
    items: list[SimilarOut]


def _viewer(request: HttpRequest) -> Viewer:
    return request.auth  # type: ignore[attr-defined]


def _checked(payload: SuggestIn | SimilarIn) -> tuple[str | None, str | None]:
    if not (payload.title.strip() or payload.body.strip()):
        raise Invalid("Judul atau isi laporan wajib diisi.", code="required", field="body")
    region = (payload.region or "").strip() or None
    category = (payload.category or "").strip() or None
    if region and not Region.objects.filter(code=region).exists():
        raise Invalid("Kode wilayah tidak dikenal.", code="unknown_region", field="region")
    if category and not Category.objects.filter(code=category).exists():
        raise Invalid("Kode kategori tidak dikenal.", code="unknown_category", field="category")
    return region, category


@router.post("/routing/suggest", response={200: SuggestOut, **ERRORS})
def routing_suggest(request: HttpRequest, payload: SuggestIn) -> Any:
    """The three most likely agencies (and units) for a report, with confidence (0-1) and a short
    reason. For national verifiers and agency admins."""
    viewer = require_user(_viewer(request))
    if not (viewer.is_verifier or viewer.admin_agency_ids):
        raise Forbidden("Hanya verifikator dan admin instansi yang dapat memakai saran disposisi.")
    region, category = _checked(payload)
    from lapor.routing.suggest import suggest  # scikit-learn loads in the workers that use it

    found = suggest(title=payload.title, body=payload.body, region=region, category=category, limit=3)
    return {"suggestions": found}


@router.post("/reports/similar", response={200: SimilarPage, **ERRORS})
def reports_similar(request: HttpRequest, payload: SimilarIn) -> Any:
    """Open reports the caller may see that say much the same thing: support one ("dukung") instead
    of filing a duplicate. Never confidential reports, never anything about who filed them."""
    region, category = _checked(payload)
    from lapor.routing.duplicates import similar_reports

    found = similar_reports(
        viewer=_viewer(request), title=payload.title, body=payload.body, region=region, category=category
    )
    return {"items": found}
