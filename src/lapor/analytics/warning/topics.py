"""Emerging topics: groups of similar recent reports whose subject was rare before.

Texts of the last 48 hours (at most MAX_RECENT) are grouped greedily: a report joins the first group
whose leader it resembles (rapidfuzz token-set ratio >= SIMILAR on normalised title + body); groups of
at least MIN_SIZE reports from at least MIN_SIZE different senders are then compared with the previous
14 days: a topic is emerging when it has at least GROWTH times the matches it had per 48 hours before."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process

from lapor.reports.models import Report

__all__ = ["MIN_SIZE", "Topic", "find_topics", "normalise"]

RECENT = timedelta(hours=48)
BASELINE = timedelta(days=14)
MAX_RECENT, MAX_BASELINE = 3000, 5000
SIMILAR = 72
MIN_SIZE = 5
GROWTH = 3.0
STOPWORDS = frozenset(
    "yang dan di ke dari ini itu untuk dengan pada tidak sudah belum ada kami saya kita mohon tolong sejak "
    "karena agar juga akan atau oleh dalam bisa sangat lagi sampai hari minggu bulan tahun para warga".split()
)


def normalise(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w for w in words if len(w) > 2 and w not in STOPWORDS)[:400]


@dataclass
class Topic:
    leader: str
    report_ids: list[int] = field(default_factory=list)
    senders: set[object] = field(default_factory=set)
    categories: dict[str, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    agencies: set[str] = field(default_factory=set)
    baseline: int = 0

    @property
    def terms(self) -> list[str]:
        words = self.leader.split()
        return sorted(set(words), key=lambda w: (-len(w), w))[:5]


def _texts(since: datetime, until: datetime, limit: int) -> list[dict[str, Any]]:
    """Reports filed in a window, newest first; a job's read of the reports table, not a page's."""
    rows = (
        Report.objects.filter(created_at__gte=since, created_at__lt=until)
        .exclude(status="archived", archive_reason="spam_abusive")
        .order_by("-created_at")
        .values("pk", "title", "body", "reporter_id", "category__code", "region_id", "agency__code")[:limit]
    )
    return [dict(row) for row in rows]


def find_topics(*, now: datetime) -> list[Topic]:
    recent = _texts(now - RECENT, now, MAX_RECENT)
    topics: list[Topic] = []
    leaders: list[str] = []
    for row in recent:
        text = normalise(f"{row['title']} {row['body']}")
        if not text:
            continue
        match = process.extractOne(text, leaders, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR)
        if match is None:
            topics.append(Topic(leader=text))
            leaders.append(text)
            topic = topics[-1]
        else:
            topic = topics[match[2]]
        topic.report_ids.append(int(row["pk"]))
        topic.senders.add(row["reporter_id"] or f"guest{row['pk']}")
        for key, bag in (("category__code", topic.categories), ("region_id", topic.regions)):
            value = str(row[key] or "")
            bag[value] = bag.get(value, 0) + 1
        if row["agency__code"]:
            topic.agencies.add(str(row["agency__code"]))
    big = [t for t in topics if len(t.report_ids) >= MIN_SIZE and len(t.senders) >= MIN_SIZE]
    if not big:
        return []
    past = [
        normalise(f"{r['title']} {r['body']}")
        for r in _texts(now - RECENT - BASELINE, now - RECENT, MAX_BASELINE)
    ]
    emerging = []
    for topic in big:
        scores = process.extract(
            topic.leader, past, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR, limit=None
        )
        topic.baseline = len(scores)
        per_window = topic.baseline * (RECENT / BASELINE)
        if len(topic.report_ids) >= GROWTH * (per_window + 1):
            emerging.append(topic)
    return emerging
