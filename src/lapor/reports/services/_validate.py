"""Parameter checks shared by the action services; each raises Invalid naming the field."""

from lapor.core.errors import Invalid

MESSAGE_MAX = 10_000


def required_text(value: str | None, *, field: str, minimum: int = 1) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise Invalid(f"'{field}' wajib diisi (minimal {minimum} karakter).", code="required", field=field)
    return optional_text(text, field=field)


def storable_text(value: str, *, field: str) -> str:
    """PostgreSQL cannot store a NUL character or a lone surrogate: refuse them as bad input (422)
    instead of failing at the database with a 500."""
    if "\x00" in value or (not value.isascii() and _has_surrogate(value)):
        raise Invalid(
            f"'{field}' berisi karakter yang tidak diizinkan.", code="invalid_character", field=field
        )
    return value


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def optional_text(value: str | None, *, field: str) -> str:
    text = storable_text((value or "").strip(), field=field)
    if len(text) > MESSAGE_MAX:
        raise Invalid(
            f"'{field}' terlalu panjang (maksimal {MESSAGE_MAX} karakter).", code="too_long", field=field
        )
    return text


def choice(value: str | None, *, field: str, allowed: frozenset[str]) -> str:
    if not value:
        raise Invalid(f"'{field}' wajib diisi.", code="required", field=field)
    if value not in allowed:
        options = ", ".join(sorted(allowed))
        raise Invalid(f"'{field}' tidak dikenal; pilihan: {options}.", code="invalid_choice", field=field)
    return value
