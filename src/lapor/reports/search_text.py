"""What the text of a search box means, however reports are searched (PostgreSQL's full-text search,
the substring search on SQLite, the public search index of ADR 0035): its first eight words, unless
it is one word that is a tracking id, which finds that report by its key."""

from lapor.core.ids import normalize_tracking_id

__all__ = ["search_words", "typed_tracking_id"]

MAX_WORDS = 8


def search_words(text: str) -> list[str]:
    return text.split()[:MAX_WORDS]


def typed_tracking_id(words: list[str]) -> str | None:
    return normalize_tracking_id(words[0]) if len(words) == 1 else None
