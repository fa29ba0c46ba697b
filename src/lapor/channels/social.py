"""Social media mentions, from a bridge service that watches the platforms and holds an API key with
the `social` permission. One normalised shape (`platform`, `url`, `author`, `text`, `posted_at`);
the post's URL is the report's external reference, so a mention pushed twice is stored once. The
bridge is the reporter of record: the public answer goes back to it as a `report.responded` webhook
that carries the post URL, and the bridge replies on the platform."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lapor.channels.apikeys import viewer_for_key
from lapor.channels.models import ApiKey
from lapor.core.errors import Invalid
from lapor.reports import services

__all__ = ["PLATFORMS", "Mention", "mention_received", "parse_mention"]

PLATFORMS = frozenset({"x", "twitter", "facebook", "instagram", "tiktok", "youtube", "threads", "other"})
REF_MAX = 120


@dataclass(frozen=True)
class Mention:
    platform: str
    url: str
    author: str
    text: str
    posted_at: Any = None


def parse_mention(body: bytes) -> Mention:
    try:
        data = json.loads(body or b"null")
    except json.JSONDecodeError as exc:
        raise Invalid("Badan permintaan bukan JSON yang valid.", code="malformed") from exc
    if not isinstance(data, dict):
        raise Invalid("Badan permintaan harus objek JSON.", code="malformed")
    for name in ("platform", "url", "author", "text"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise Invalid(f"'{name}' wajib diisi.", code="required", field=name)
    platform = data["platform"].strip().lower()
    if platform not in PLATFORMS:
        raise Invalid(f"platform harus salah satu dari {', '.join(sorted(PLATFORMS))}.", field="platform")
    url = data["url"].strip()
    if not url.startswith(("https://", "http://")) or len(url) > 2000:
        raise Invalid("url harus alamat http(s) unggahan.", field="url")
    posted = None
    if data.get("posted_at"):
        posted = parse_datetime(str(data["posted_at"]))
        if posted is None or timezone.is_naive(posted):
            raise Invalid("posted_at harus tanggal-waktu ISO 8601 dengan zona.", field="posted_at")
    return Mention(
        platform=platform, url=url, author=data["author"].strip()[:150], text=data["text"], posted_at=posted
    )


def external_ref(url: str) -> str:
    """The post URL itself when it fits; a digest of it when it does not."""
    return url if len(url) <= REF_MAX else "sha256:" + hashlib.sha256(url.encode()).hexdigest()


def mention_received(*, key: ApiKey, mention: Mention) -> services.Submitted:
    posted = timezone.localtime(mention.posted_at).date() if mention.posted_at else None
    draft = services.ReportDraft(
        body=f"{mention.text.strip()}\n\nSumber: {mention.url}",
        incident_date=posted if posted and posted <= timezone.localdate() else None,
        reporter_name=mention.author,
        channel="social",
        external_ref=external_ref(mention.url),
        tags=(mention.platform,),
    )
    return services.report_file(draft=draft, actor=viewer_for_key(key))
