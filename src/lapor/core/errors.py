"""One error type with a machine-readable code, so every failure has the same shape everywhere:
`{"code": ..., "message": ..., "field": ...}` with the matching HTTP status."""

from typing import ClassVar

__all__ = [
    "ApplicationError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "PayloadTooLarge",
    "Unauthenticated",
]


class ApplicationError(Exception):
    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class Invalid(ApplicationError):
    status = 422
    default_code = "invalid"


class Unauthenticated(ApplicationError):
    status = 401
    default_code = "unauthenticated"


class Forbidden(ApplicationError):
    status = 403
    default_code = "forbidden"


class NotFound(ApplicationError):
    """Also what a viewer gets for something that exists but is not theirs to see."""

    status = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    status = 409
    default_code = "conflict"


class PayloadTooLarge(ApplicationError):
    status = 413
    default_code = "too_large"
