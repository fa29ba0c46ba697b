"""HTTP doors of the intake channels: `/channels/sms/inbound` and `/channels/social/inbound`.
Answers and errors are JSON in the API's one error shape {code, message, field}; Twilio gets TwiML."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lapor.channels import sms, social
from lapor.channels.apikeys import apikey_authenticate
from lapor.channels.models import ApiKey, Permission
from lapor.core.errors import ApplicationError, Forbidden, Unauthenticated

__all__ = ["sms_inbound", "social_inbound"]

TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?>\n<Response></Response>'


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status)

    return wrapped


def _key(request: HttpRequest, permission: str) -> ApiKey | None:
    raw = request.headers.get("X-API-Key", "")
    if not raw:
        return None
    key = apikey_authenticate(raw)
    if key is None:
        raise Unauthenticated("Kunci API tidak valid atau sudah dicabut.", code="unauthenticated")
    if not key.allows(permission):
        raise Forbidden(f"Kunci API ini tidak memiliki izin '{permission}'.", code="key_permission")
    return key


@csrf_exempt
@require_POST
@json_errors
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """Generic JSON {"from", "text", "message_id"} or Twilio's form (From, Body, MessageSid)."""
    key = _key(request, Permission.SMS)
    sms.require_gateway(request, key_ok=key is not None)
    twilio = (request.content_type or "").startswith(("application/x-www-form-urlencoded", "multipart/"))
    inbound = sms.parse_twilio(request.POST.dict()) if twilio else sms.parse_generic(request.body)
    outcome = sms.sms_received(inbound)
    if twilio:
        return HttpResponse(TWIML_EMPTY, content_type="text/xml; charset=utf-8")
    return JsonResponse(
        {
            "result": outcome.kind,
            "tracking_id": outcome.tracking_id,
            "created": outcome.created,
            "reason": outcome.reason or None,
        },
        status=201 if outcome.created else 200,
    )


@csrf_exempt
@require_POST
@json_errors
def social_inbound(request: HttpRequest) -> HttpResponse:
    key = _key(request, Permission.SOCIAL)
    if key is None:
        raise Unauthenticated("X-API-Key wajib diisi.")
    submitted = social.mention_received(key=key, mention=social.parse_mention(request.body))
    return JsonResponse(
        {"tracking_id": submitted.report.tracking_id, "created": submitted.created},
        status=201 if submitted.created else 200,
    )
