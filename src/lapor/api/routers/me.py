"""The caller's own data: `GET /me/data` downloads everything LAPOR holds about them (JSON), and
`POST /me/delete` deletes their account after checking their password (ADR 0018)."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from lapor.api.auth import api_key_of, require_user
from lapor.api.errors import ErrorOut
from lapor.core.errors import Forbidden
from lapor.notifications.personal_data import account_delete, personal_data_export

router = Router(tags=["me"])

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AccountDeleteIn(Schema):
    password: str = Field(max_length=4096)


class AccountDeletedOut(Schema):
    deleted: bool
    reports_deidentified: int


def _person(request: HttpRequest) -> Any:
    if api_key_of(request) is not None:  # an integration's service user is not a person
        raise Forbidden("Kunci API tidak memiliki data pribadi.", code="key_permission")
    return require_user(request.auth)  # type: ignore[attr-defined]


@router.get("/me/data", response={200: dict[str, Any], **ERRORS})
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything LAPOR holds about the caller: account, reports filed from the account with the
    timeline they may read and their attachments' names, supports, notifications, preferences."""
    data = personal_data_export(viewer=_person(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="lapor-data-saya.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/me/delete", response={200: AccountDeletedOut, **ERRORS})
def delete_me(request: HttpRequest, payload: AccountDeleteIn) -> AccountDeletedOut:
    """Delete the caller's account. Their reports stay as public record without their identity."""
    count = account_delete(viewer=_person(request), password=payload.password)
    return AccountDeletedOut(deleted=True, reports_deidentified=count)
