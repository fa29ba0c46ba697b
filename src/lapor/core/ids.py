"""Public tracking IDs: random, non-sequential, with a check character so a mistyped ID is caught
before any lookup (e.g. `LPR-7K3M9Q2X`)."""

import re
import secrets
from collections.abc import Callable

__all__ = ["new_tracking_id", "normalize_tracking_id", "random_chars"]

# No 0/O, 1/I/L or U: nothing a citizen reading an ID over the phone can confuse.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LPR-"
BODY_LENGTH = 7
_PATTERN = re.compile(rf"^{PREFIX}[{ALPHABET}]{{{BODY_LENGTH + 1}}}$")


def check_char(body: str) -> str:
    """Luhn mod N (N = 30): catches every single mistyped character and most swapped neighbours."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


# The bytes below the largest multiple of the alphabet's size: each character is then equally likely.
_FAIR = 256 - 256 % len(ALPHABET)


def random_chars(length: int, draw: Callable[[int], bytes]) -> str:
    """`length` characters of ALPHABET from `draw` (`secrets.token_bytes`), read once for all of them:
    drawing character by character took a tenth of a filing's acceptance."""
    chars: list[str] = []
    while len(chars) < length:
        chars += [ALPHABET[byte % len(ALPHABET)] for byte in draw(2 * length) if byte < _FAIR]
    return "".join(chars[:length])


def new_tracking_id() -> str:
    body = random_chars(BODY_LENGTH, secrets.token_bytes)
    return f"{PREFIX}{body}{check_char(body)}"


def normalize_tracking_id(value: str) -> str | None:
    """The canonical form of a typed ID, or None when it cannot be one of ours."""
    candidate = value.strip().upper().replace(" ", "")
    if not candidate.startswith(PREFIX):
        candidate = PREFIX + candidate.removeprefix("LPR")
    if not _PATTERN.match(candidate):
        return None
    body, check = candidate[len(PREFIX) : -1], candidate[-1]
    return candidate if check_char(body) == check else None
