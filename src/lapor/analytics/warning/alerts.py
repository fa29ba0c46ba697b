"""Turning detections into Alerts and telling people, idempotently: one Alert per ongoing signal
(a later run that sees it again updates it), one notification per person per Alert, and alerts not
seen for a day are retired. Running twice at the same `now` changes nothing the second time."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from rapidfuzz import fuzz, process

from lapor.agencies.models import Agency, Membership, Role
from lapor.analytics.models import Alert
from lapor.analytics.warning.spikes import Spike, find_spikes
from lapor.analytics.warning.topics import SIMILAR, Topic, find_topics
from lapor.core import clock
from lapor.core.models import User
from lapor.notifications.models import Notification, Preference
from lapor.reports.models import Report

__all__ = ["RETIRE_AFTER", "run"]

RETIRE_AFTER = timedelta(hours=24)
URL = "/staf/peringatan"
NATIONWIDE = (Agency.Kind.OVERSIGHT, Agency.Kind.NATIONAL_NODE)


def _regional(region: str) -> list[str]:
    """The regional governments of a region: its own and its province's."""
    if not region:
        return []
    codes = {f"pemda-{region}", f"pemda-{region.split('.')[0]}"}
    return sorted(Agency.objects.filter(code__in=codes, active=True).values_list("code", flat=True))


def _recipients(agency_codes: list[str]) -> list[User]:
    agencies = Agency.objects.filter(code__in=agency_codes)
    parents = Agency.objects.filter(children__in=agencies)
    q = Q(role=Role.SUPERVISOR, agency__kind__in=NATIONWIDE)
    q |= Q(role=Role.SUPERVISOR, agency__in=agencies) | Q(role=Role.SUPERVISOR, agency__in=parents)
    q |= Q(role=Role.AGENCY_ADMIN, agency__in=agencies)
    users = User.objects.filter(is_active=True, memberships__in=Membership.objects.filter(q)).distinct()
    muted = set(Preference.objects.filter(in_app=False).values_list("user_id", flat=True))
    return [u for u in users.order_by("pk") if u.pk not in muted]


def _notify(alert: Alert) -> None:
    Notification.objects.bulk_create(
        [
            Notification(
                user=user, kind="early_warning", title=alert.title[:200], body=alert.summary, url=URL
            )
            for user in _recipients(alert.agencies)
        ]
    )


def _upsert(kind: str, key: str, values: dict[str, Any], existing: Alert | None) -> tuple[Alert, bool]:
    now = clock.now()
    if existing is not None:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.last_seen_at = max(existing.last_seen_at, now)
        existing.save()
        return existing, False
    alert = Alert.objects.create(kind=kind, key=key, first_seen_at=now, last_seen_at=now, **values)
    _notify(alert)
    return alert, True


def _spike_alert(spike: Spike) -> tuple[Alert, bool]:
    key = f"volume:{spike.category}:{spike.region}"
    ids = list(
        Report.objects.filter(
            created_at__gte=spike.window_start,
            created_at__lt=spike.window_end,
            category__code=spike.category or None,
            region_id=spike.region or None,
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)[:200]
    )
    agencies = set(
        Report.objects.filter(pk__in=ids, agency__isnull=False)
        .values_list("agency__code", flat=True)
        .distinct()
    )
    agencies.update(_regional(spike.region))
    values = {
        "title": f"Lonjakan laporan {spike.category or 'tanpa kategori'} di wilayah {spike.region or '-'}",
        "summary": (
            f"{spike.observed} laporan dalam 24 jam terakhir; biasanya {spike.expected:.1f} "
            f"(uji Poisson, p = {spike.p_value:.1e})."
        ),
        "category": spike.category,
        "region": spike.region,
        "observed": spike.observed,
        "expected": spike.expected,
        "p_value": spike.p_value,
        "agencies": sorted(agencies),
        "report_ids": ids,
    }
    existing = Alert.objects.filter(kind=Alert.Kind.VOLUME_SPIKE, key=key, active=True).first()
    return _upsert(Alert.Kind.VOLUME_SPIKE, key, values, existing)


def _topic_alert(topic: Topic, active: list[Alert]) -> tuple[Alert, bool]:
    key = f"topic:{topic.leader[:190]}"
    match = process.extractOne(
        topic.leader, [a.key[6:] for a in active], scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR
    )
    existing = active[match[2]] if match else None
    region = max(topic.regions, key=lambda r: topic.regions[r]) if topic.regions else ""
    category = max(topic.categories, key=lambda c: topic.categories[c]) if topic.categories else ""
    values = {
        "title": "Topik baru: " + ", ".join(topic.terms[:3]),
        "summary": (
            f"{len(topic.report_ids)} laporan serupa dalam 48 jam terakhir "
            f"dari {len(topic.senders)} pelapor; "
            f"{topic.baseline} laporan serupa dalam 14 hari sebelumnya."
        ),
        "category": category,
        "region": region,
        "observed": len(topic.report_ids),
        "expected": float(topic.baseline),
        "p_value": None,
        "agencies": sorted(topic.agencies | set(_regional(region))),
        "report_ids": topic.report_ids[:200],
        "terms": topic.terms,
    }
    return _upsert(Alert.Kind.EMERGING_TOPIC, existing.key if existing else key, values, existing)


def run() -> dict[str, int]:
    """One round at `clock.now()`: detect, record, notify new alerts, retire stale ones."""
    now = clock.now()
    spikes, topics = find_spikes(now=now), find_topics(now=now)
    created = updated = 0
    with transaction.atomic():
        for spike in spikes:
            _, new = _spike_alert(spike)
            created, updated = created + new, updated + (not new)
        active_topics = list(Alert.objects.filter(kind=Alert.Kind.EMERGING_TOPIC, active=True))
        for topic in topics:
            alert, new = _topic_alert(topic, active_topics)
            if new:
                active_topics.append(alert)
            created, updated = created + new, updated + (not new)
        retired = Alert.objects.filter(active=True, last_seen_at__lt=now - RETIRE_AFTER).update(active=False)
    return {
        "spikes": len(spikes),
        "topics": len(topics),
        "created": created,
        "updated": updated,
        "retired": retired,
    }
