import re
from datetime import timedelta
from html import unescape
from typing import Any

from django.test import Client
from django.utils import timezone

from lapor.core.keyset import NEWEST_FIRST, encode
from lapor.core.models import User
from lapor.reports.models import Report


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def every_page(client: Client, path: str, row: str) -> tuple[list[str], list[str]]:
    """What `row` (a pattern with one group) finds on `path`, page after page: the numbered page, then
    each "Berikutnya" by cursor until none follows. Returns the rows and each page's HTML."""
    pages = [page(client.get(path))]
    while match := re.search(r'href="\?([^"]*cursor=[^"]+)" rel="next"', pages[-1]):
        pages.append(page(client.get(f"{path.split('?')[0]}?{unescape(match.group(1))}")))
    return [found for html in pages for found in re.findall(row, html)], pages


def cursor_before_everything() -> str:
    """A cursor of the newest-first lists as if a report had been filed tomorrow: its page holds every
    report the list has."""
    return encode(Report(pk=2**62, created_at=timezone.now() + timedelta(days=1)), NEWEST_FIRST)
