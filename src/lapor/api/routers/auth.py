from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router

from lapor.api.errors import ErrorOut
from lapor.api.schemas import TokenIn, TokenOut
from lapor.core.errors import Unauthenticated
from lapor.core.models import AuthToken

router = Router(tags=["auth"])


@router.post("/token", response={200: TokenOut, 401: ErrorOut, 422: ErrorOut}, auth=None)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange a username and password for a bearer token (shown once; only its digest is stored)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise Unauthenticated("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
    token, raw = AuthToken.issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)
