from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router

from lapor.api.errors import ErrorOut
from lapor.api.schemas import TokenIn, TokenOut
from lapor.core.errors import Forbidden, Unauthenticated
from lapor.core.models import AuthToken
from lapor.security import twofactor

router = Router(tags=["auth"])


@router.post(
    "/token", response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None
)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange a username and password for a bearer token (shown once; only its digest is stored)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise Unauthenticated("Nama pengguna atau kata sandi salah.", code="invalid_credentials")
    # A token must not be a way around two-step verification (ADR 0016).
    if twofactor.is_enrolled(user):
        if twofactor.verify_code(user=user, code=payload.otp or "") is None:
            raise Unauthenticated(
                "Kode verifikasi dua langkah salah atau belum diisi.", code="otp_required", field="otp"
            )
    elif twofactor.two_factor_required_for(user):
        raise Forbidden(
            "Aktifkan verifikasi dua langkah di situs sebelum meminta token.", code="two_factor_required"
        )
    token, raw = AuthToken.issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)
