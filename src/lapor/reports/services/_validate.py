"""Parameter checks shared by the action services; each raises Invalid naming the field."""

from lapor.core.errors import Invalid

MESSAGE_MAX = 10_000


def required_text(value: str | None, *, field: str, minimum: int = 1) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise Invalid(f"'{field}' wajib diisi (minimal {minimum} karakter).", code="required", field=field)
    return optional_text(text, field=field)


def optional_text(value: str | None, *, field: str) -> str:
    text = (value or "").strip()
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
