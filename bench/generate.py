"""Load N realistic reports into PostgreSQL with COPY, for the read and sweep benchmarks.

    .venv/bin/python bench/generate.py --reports 100000 [--database-url postgres://…/lapor_bench]
    .venv/bin/python bench/generate.py --reports 1000000 --open-around-now   # the sweep's data set

Migrates and seeds first (`lapor migrate`, `lapor seed`), then replaces every report of that database.
Each report plays a short story (submit → route → accept → respond → confirm/auto-close, or hold, or
archive) whose steps stop at the present, so open reports are the recent ones plus a stalled tail; the
stored deadlines, escalation and reminder moments follow the status as the services would set them
(calendar days stand in for working days: the loader never calls the holiday calendar). Timelines,
identities (anonymous and confidential shares), supporters and ratings come along; the analytics
rollups are built with `INSERT … SELECT` from the loaded rows, not by replaying events. Prints one JSON
object and appends it to bench/results/generate.jsonl."""

import argparse
import json
import os
import platform
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import harness  # bench/, the script's own folder, is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lapor_bench"
CHUNK = 50_000
CITIZENS = 5_000
# Tracking ids: a bijection of the row number onto the 30^7 bodies (multiplier coprime with 30), so
# ids are unique without a lookup and look random to a reader.
ID_SPACE = 30**7
ID_MULT = 7_654_321
ID_OFFSET = 1_234_567

TABLES = (
    "reports_support",
    "reports_reporteridentity",
    "reports_identityaccess",
    "reports_attachment",
    "reports_timelineevent",
    "reports_report",
)
ROLLUP_TABLES = ("analytics_rollup", "analytics_durationbucket", "analytics_backlog", "analytics_volumehour")

SUBJECTS = {
    "infrastruktur": [
        "Jalan rusak",
        "Jembatan retak",
        "Lampu jalan mati",
        "Drainase tersumbat",
        "Trotoar rusak",
    ],
    "lingkungan": ["Sampah menumpuk", "Pencemaran sungai", "Asap pembakaran", "Banjir setiap hujan"],
    "kesehatan": ["Antrean puskesmas", "Obat tidak tersedia", "Pelayanan BPJS", "Rumah sakit menolak pasien"],
    "pendidikan": ["Pungutan sekolah", "Gedung sekolah rusak", "Guru jarang hadir", "Dana BOS"],
    "energi": ["Listrik padam", "Tagihan listrik naik", "Gas elpiji langka", "Meteran listrik rusak"],
    "air": ["Air PDAM keruh", "Air PDAM mati", "Pipa bocor", "Tagihan air tidak wajar"],
    "administrasi": ["KTP elektronik belum jadi", "Akta kelahiran lama", "Pungli di kelurahan", "Izin usaha"],
    "transportasi": ["Angkutan umum ugal-ugalan", "Parkir liar", "Terminal kotor", "Kemacetan di pasar"],
    "sosial": ["Bantuan sosial tidak tepat sasaran", "PKH belum cair", "Data DTKS salah"],
    "keamanan": ["Pencurian motor", "Premanisme di pasar", "Balap liar malam hari"],
}
PLACES = [
    "dekat pasar",
    "depan sekolah",
    "di gang utama",
    "dekat masjid",
    "di perumahan",
    "di jalan provinsi",
]
DETAILS = [
    "sudah berlangsung berminggu-minggu dan belum ada tindakan dari pihak terkait",
    "sangat mengganggu aktivitas warga terutama saat pagi dan sore hari",
    "kami sudah melapor ke kelurahan tetapi belum ada tanggapan",
    "mohon segera ditindaklanjuti karena membahayakan pengendara",
    "warga sekitar resah dan meminta kejelasan dari instansi yang berwenang",
    "petugas meminta biaya tambahan di luar ketentuan resmi",
]
NAMES = ["Budi", "Siti", "Agus", "Dewi", "Rahmat", "Nur", "Andi", "Putri", "Joko", "Wati", "Hendra", "Rina"]
ARCHIVE_REASONS = ["too_general", "not_public_service", "duplicate", "spam_abusive", "out_of_scope"]
CHANNELS = ["web"] * 6 + ["api", "email", "sms", "social", "walk_in", "paper"]
KINDS = ["complaint"] * 8 + ["aspiration", "information_request"]


def _base30(n: int) -> str:
    from lapor.core.ids import ALPHABET, BODY_LENGTH

    chars = []
    for _ in range(BODY_LENGTH):
        n, r = divmod(n, 30)
        chars.append(ALPHABET[r])
    return "".join(chars)


def tracking_id(i: int) -> str:
    from lapor.core.ids import PREFIX, check_char

    body = _base30((i * ID_MULT + ID_OFFSET) % ID_SPACE)
    return f"{PREFIX}{body}{check_char(body)}"


@dataclass(frozen=True)
class Reference:
    agencies: list[tuple[int, str]]  # (id, province code or "") of agencies that handle reports
    units: dict[int, list[int]]
    categories: list[tuple[int, str, int]]  # (id, code, resolution days)
    regions: list[str]  # regency/city codes
    agency_of_region: dict[str, list[int]]
    national: list[int]  # ministries, national agencies, state enterprises


class Progress:
    """A progress bar on stderr (no dependency): phase, done/total, rate."""

    def __init__(self, phase: str, total: int) -> None:
        self.phase, self.total, self.start, self.last = phase, total, time.monotonic(), 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * done / self.total) if self.total else width
        rate = done / max(now - self.start, 1e-6)
        sys.stderr.write(
            f"\r{self.phase:<10} [{'#' * filled}{'.' * (width - filled)}] {done:>10,}/{self.total:,} "
            f"{rate:,.0f}/s"
        )
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()


def _reference(cur: Any) -> Reference:
    cur.execute(
        "SELECT id, kind, coalesce(region_id, '') FROM agencies_agency "
        "WHERE active AND kind NOT IN ('national_node', 'oversight')"
    )
    rows = cur.fetchall()
    agencies = [(pk, region.split(".")[0]) for pk, _, region in rows]
    national = [pk for pk, kind, _ in rows if kind in ("ministry", "national_agency", "state_enterprise")]
    agency_of_region: dict[str, list[int]] = {}
    for pk, _kind, region in rows:
        if region:
            agency_of_region.setdefault(region, []).append(pk)
    cur.execute("SELECT id, agency_id FROM agencies_unit")
    units: dict[int, list[int]] = {}
    for pk, agency in cur.fetchall():
        units.setdefault(agency, []).append(pk)
    cur.execute("SELECT id, code, resolution_days FROM agencies_category ORDER BY position, id")
    categories = list(cur.fetchall())
    cur.execute("SELECT code FROM geo_region WHERE level = 2 ORDER BY code")
    regions = [r for (r,) in cur.fetchall()]
    return Reference(agencies, units, categories, regions, agency_of_region, national)


def _reset(cur: Any) -> list[str]:
    """Empty the report tables and drop their secondary indexes; returns the statements to rebuild them."""
    cur.execute(f"TRUNCATE {', '.join(TABLES + ROLLUP_TABLES)} RESTART IDENTITY CASCADE")
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [list(TABLES)],
    )
    found = cur.fetchall()
    # Kept in a table until rebuilt, so an interrupted load still knows which indexes to restore.
    cur.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (name text PRIMARY KEY, definition text)")
    for name, definition in found:
        cur.execute(
            "INSERT INTO bench_dropped_index VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, definition]
        )
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("SELECT definition FROM bench_dropped_index ORDER BY name")
    return [definition for (definition,) in cur.fetchall()]


def _citizens(cur: Any, now: datetime) -> tuple[int, int]:
    cur.execute("DELETE FROM core_user WHERE username LIKE 'bench-warga-%%'")
    with cur.copy(
        "COPY core_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, phone) FROM STDIN"
    ) as copy:
        for i in range(CITIZENS):
            copy.write_row(
                ("!", False, f"bench-warga-{i}", random.choice(NAMES), "", "", False, True, now, "")
            )
    cur.execute("SELECT min(id), max(id) FROM core_user WHERE username LIKE 'bench-warga-%%'")
    low, high = cur.fetchone()
    assert high - low + 1 == CITIZENS, "citizen ids must be contiguous"
    return low, CITIZENS


class Story:
    """One report's steps in time; stops at the present."""

    def __init__(self, rng: random.Random, now: datetime, created: datetime) -> None:
        self.rng, self.now, self.t = rng, now, created

    def step(self, mean_days: float) -> datetime | None:
        t = self.t + timedelta(days=min(self.rng.expovariate(1 / mean_days), 90))
        if t > self.now:
            return None
        self.t = t
        return t


REPORT_COLUMNS = (
    "id, created_at, updated_at, tracking_id, kind, title, body, address, tags, channel, anonymous, "
    "confidential, access_code_digest, status, archive_reason, escalation_level, supporters_count, "
    "decline_count, flagged, reopen_count, rating, rating_comment, sla_policy, due_at, verify_due_at, "
    "followup_due_at, resolution_due_at, reply_due_at, hold_expires_at, hold_started_at, verified_at, "
    "routed_at, first_response_at, closed_at, agency_id, category_id, region_id, unit_id, "
    "next_escalation_at, remind_at, resolution_extended"
)
EVENT_COLUMNS = (
    "report_id, action, actor_role, from_status, to_status, agency_id, unit_id, reason, message, note, "
    "visibility, data, created_at"
)


def _report(
    i: int, ref: Reference, rng: random.Random, now: datetime, args: argparse.Namespace, created: datetime
) -> Any:
    """(report row, event rows, identity row) of report number i, filed at `created`."""
    cat_id, cat_code, resolution_days = rng.choice(ref.categories)
    region = rng.choice(ref.regions)
    local = ref.agency_of_region.get(region) or []
    agency = rng.choice(local) if local and rng.random() < 0.7 else rng.choice(ref.national)
    units = ref.units.get(agency) or []
    subject_key = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[subject_key])
    title = f"{subject} {rng.choice(PLACES)}"
    body = f"{subject} {rng.choice(PLACES)} {rng.choice(DETAILS)}. {rng.choice(DETAILS).capitalize()}."
    kind = rng.choice(KINDS)
    anonymous = rng.random() < 0.12
    confidential = rng.random() < 0.06
    pk = i + 1
    d: dict[str, Any] = dict.fromkeys(
        (
            "due_at verify_due_at followup_due_at resolution_due_at reply_due_at hold_expires_at "
            "hold_started_at verified_at routed_at first_response_at closed_at rating"
        ).split()
    )
    events: list[tuple[Any, ...]] = []

    def event(
        action: str, role: str, frm: str, to: str, at: datetime, ag: int | None, data: str = "{}"
    ) -> None:
        events.append((pk, action, role, frm, to, ag, None, "", "", "", "public", data, at))

    story = Story(rng, now, created)
    t: datetime | None
    status, archive_reason, handler, unit = "submitted", "", None, None
    event("submit", "reporter", "", "submitted", created, None)
    d["verify_due_at"] = d["due_at"] = created + timedelta(days=4.2)
    if args.open_around_now:
        # Every report stays open; its current deadline lies around now (see bench/sweep.py).
        fate = rng.random()
        if fate < 0.25:
            t = story.step(1.0) or created
            status, handler = "routed", agency
            event("route", "verifier", "submitted", "routed", t, agency)
            d.update(verified_at=t, routed_at=t, followup_due_at=t + timedelta(days=7))
            d["resolution_due_at"] = t + timedelta(days=resolution_days * 1.4)
        elif fate < 0.55:
            t = story.step(1.0) or created
            status, handler = "in_progress", agency
            event("route", "verifier", "submitted", "routed", t, agency)
            event("accept", "agency_admin", "routed", "in_progress", t, agency)
            d.update(verified_at=t, routed_at=t, followup_due_at=t + timedelta(days=7))
            d["resolution_due_at"] = t + timedelta(days=resolution_days * 1.4)
        elif fate < 0.8:
            t = story.step(1.0) or created
            status, handler = "responded", agency
            event("route", "verifier", "submitted", "routed", t, agency)
            event("respond", "agency_admin", "routed", "responded", t, agency)
            d.update(verified_at=t, routed_at=t, first_response_at=t)
        elif fate < 0.9:
            status = "on_hold"
            d["hold_started_at"] = created
            event("hold", "verifier", "submitted", "on_hold", created, None)
        due = now + timedelta(seconds=rng.uniform(-args.due_past_hours * 3600, args.due_spread_days * 86400))
        key = {
            "submitted": "verify_due_at",
            "routed": "followup_due_at",
            "in_progress": "resolution_due_at",
            "responded": "reply_due_at",
            "on_hold": "hold_expires_at",
        }[status]
        d[key] = d["due_at"] = due
    else:
        path = rng.random()
        if (t := story.step(1.8)) is not None:
            if path < 0.10:
                status, archive_reason = "archived", rng.choice(ARCHIVE_REASONS)
                event("archive", "verifier", "submitted", "archived", t, None)
                d["due_at"] = None
            elif path < 0.15 and story.step(6) is None:
                event("hold", "verifier", "submitted", "on_hold", t, None)
                if t + timedelta(days=14) > now:
                    status = "on_hold"
                    d.update(hold_started_at=t, hold_expires_at=t + timedelta(days=14))
                    d["due_at"] = d["hold_expires_at"]
                else:  # the reporter never answered: the sweep archived it
                    status, archive_reason, d["due_at"] = "archived", "too_general", None
                    event("archive", "system", "on_hold", "archived", t + timedelta(days=14), None)
            else:
                status, handler = "routed", agency
                unit = rng.choice(units) if units and rng.random() < 0.3 else None
                event("route", "verifier", "submitted", "routed", t, agency)
                d.update(verified_at=t, routed_at=t, followup_due_at=t + timedelta(days=7))
                d["resolution_due_at"] = t + timedelta(days=resolution_days * 1.4)
                d["due_at"] = d["followup_due_at"]
                if (t := story.step(1.5)) is not None and rng.random() > 0.01:
                    status = "in_progress"
                    event("accept", "agency_admin", "routed", "in_progress", t, agency)
                    d["due_at"] = d["resolution_due_at"]
                    if (t := story.step(6)) is not None and rng.random() > 0.03:
                        status = "responded"
                        event("respond", "agency_admin", "in_progress", "responded", t, agency)
                        d.update(first_response_at=t, reply_due_at=t + timedelta(days=14))
                        d["due_at"] = d["reply_due_at"]
                        if (t := story.step(5)) is not None and t < d["reply_due_at"] and rng.random() < 0.45:
                            rating = rng.choices((1, 2, 3, 4, 5), weights=(8, 7, 15, 35, 35))[0]
                            status, d["closed_at"], d["rating"] = "closed", t, rating
                            event(
                                "confirm",
                                "reporter",
                                "responded",
                                "closed",
                                t,
                                agency,
                                f'{{"rating": {rating}}}',
                            )
                        elif d["reply_due_at"] <= now:
                            status, d["closed_at"] = "closed", d["reply_due_at"]
                            event("auto_close", "system", "responded", "closed", d["reply_due_at"], agency)
                        if status == "closed":
                            d["due_at"] = d["reply_due_at"] = None
    escalation, next_escalation, remind = 0, None, None
    due = d["due_at"]
    if due is not None and status in ("submitted", "routed", "in_progress"):
        if due <= now:
            escalation = 1
            next_escalation = due + timedelta(days=2.8)
            if next_escalation <= now:
                escalation, next_escalation = 2, created + timedelta(days=84)
                if next_escalation <= now and status != "submitted":
                    escalation, next_escalation = 3, None
                elif status == "submitted":
                    next_escalation = None
            event("escalate", "system", status, status, due, handler, f'{{"level": {escalation}}}')
        else:
            next_escalation = due
    if due is not None and status != "archived" and due - timedelta(days=1) > now:
        remind = due - timedelta(days=1)
    if args.open_around_now:
        escalation, next_escalation = (
            0,
            d["due_at"] if status in ("submitted", "routed", "in_progress") else None,
        )
        remind = None
        events[:] = [e for e in events if e[1] != "escalate"]
    public = not confidential and d["verified_at"] is not None and status != "archived"
    supporters = min(int(rng.paretovariate(1.6)) - 1, 200) if public and rng.random() < 0.3 else 0
    updated = events[-1][-1]
    row = (
        pk, created, updated, tracking_id(i), kind, title, body, "", "[]", rng.choice(CHANNELS), anonymous,
        confidential, "", status, archive_reason, escalation, supporters, 0, False, 0, d["rating"], "",
        args.policy_json, d["due_at"], d["verify_due_at"], d["followup_due_at"], d["resolution_due_at"],
        d["reply_due_at"], d["hold_expires_at"], d["hold_started_at"], d["verified_at"], d["routed_at"],
        d["first_response_at"], d["closed_at"], handler, cat_id, region, unit if handler else None,
        next_escalation, remind, False,
    )  # fmt: skip
    name = rng.choice(NAMES)
    identity = (pk, name, f"{name.lower()}{pk}@contoh.id", f"08{pk:010d}"[:13])
    return row, events, identity


def _ascending_fractions(n: int, rng: random.Random) -> Iterator[float]:
    """n uniform fractions in ascending order, one at a time and in constant memory: the sample's
    maximum is V^(1/n), each next one down is the last times V^(1/k) (Bentley and Saxe, 1980), and
    one minus a descending uniform sample is an ascending one."""
    top = 1.0
    for k in range(n, 0, -1):
        top *= rng.random() ** (1 / k)
        yield 1 - top


def _filing_times(n: int, now: datetime, args: argparse.Namespace) -> Iterator[datetime]:
    """When each report was filed, oldest first: row ids and heap order follow filing time, as in a
    live database, so the newest reports sit together at the end of the table."""
    # The sweep's open reports spread evenly over 40 days; otherwise volume grows over the years (the
    # square root skews filing towards the present).
    span, power = (40 * 86400, 1.0) if args.open_around_now else (args.years * 365 * 86400, 0.5)
    for f in _ascending_fractions(n, random.Random(args.seed + 1)):
        yield now - timedelta(seconds=span * (1 - f**power))


def _rows(n: int, ref: Reference, now: datetime, args: argparse.Namespace) -> Iterator[Any]:
    rng = random.Random(args.seed)
    for i, created in enumerate(_filing_times(n, now, args)):
        yield _report(i, ref, rng, now, args, created)


ROLLUP_SQL = """
WITH r AS (
  SELECT r.*, c.code AS cat, split_part(coalesce(r.region_id, ''), '.', 1) AS prov, coalesce(a.code, '') AS ag
  FROM reports_report r JOIN agencies_category c ON c.id = r.category_id LEFT JOIN agencies_agency a ON
    a.id = r.agency_id
), m AS (
  SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Jakarta')::date AS period, '' AS agency, cat,
    prov, kind,
         1 AS received, 0 AS verified, 0 AS verified_on_time, 0 AS archived, 0 AS routed, 0 AS followed_up,
         0 AS followed_up_on_time, 0 AS closed, 0 AS escalated, 0 AS rating_count, 0 AS rating_sum,
           0 AS rating_high
  FROM r
  UNION ALL
  SELECT date_trunc('month', coalesce(verified_at, updated_at) AT TIME ZONE 'Asia/Jakarta')::date, '',
    cat, prov, kind,
         0, 1, (coalesce(verified_at, updated_at) - created_at <= interval '4 days 5 hours')::int,
         (status = 'archived')::int, 0, 0, 0, 0, 0, 0, 0, 0
  FROM r WHERE verified_at IS NOT NULL OR status = 'archived'
  UNION ALL
  SELECT date_trunc('month', routed_at AT TIME ZONE 'Asia/Jakarta')::date, ag, cat, prov, kind,
         0, 0, 0, 0, 1, (first_response_at IS NOT NULL)::int,
         (first_response_at - routed_at <= interval '7 days')::int, (closed_at IS NOT NULL)::int,
         (escalation_level > 0)::int, (rating IS NOT NULL)::int, coalesce(rating, 0), (rating >= 4)::int
  FROM r WHERE routed_at IS NOT NULL
)
INSERT INTO analytics_rollup (period, agency, unit, category, province, kind, received, verified,
  verified_on_time,
  archived, routed, forwarded, declined, withdrawn, followed_up, followed_up_on_time, closed, reopened,
    escalated,
  rating_count, rating_sum, rating_high)
SELECT period, agency, '', cat, prov, kind, sum(received), sum(verified), sum(verified_on_time),
  sum(archived),
  sum(routed), 0, 0, 0, sum(followed_up), coalesce(sum(followed_up_on_time), 0), sum(closed), 0,
    sum(escalated),
  sum(rating_count), sum(rating_sum), coalesce(sum(rating_high), 0)
FROM m GROUP BY period, agency, cat, prov, kind
"""
# Working days from calendar days: 5/7 of the elapsed days (the loader skips the holiday calendar).
DURATION_SQL = """
WITH r AS (
  SELECT r.*, c.code AS cat, split_part(coalesce(r.region_id, ''), '.', 1) AS prov, coalesce(a.code, '') AS ag
  FROM reports_report r JOIN agencies_category c ON c.id = r.category_id LEFT JOIN agencies_agency a ON
    a.id = r.agency_id
), d AS (
  SELECT date_trunc('month', verified_at AT TIME ZONE 'Asia/Jakarta')::date AS period, '' AS agency,
    cat, prov, kind,
         'verify' AS metric, verified_at - created_at AS span FROM r WHERE verified_at IS NOT NULL
  UNION ALL
  SELECT date_trunc('month', routed_at AT TIME ZONE 'Asia/Jakarta')::date, ag, cat, prov, kind,
    'first_followup',
         first_response_at - routed_at FROM r WHERE first_response_at IS NOT NULL
  UNION ALL
  SELECT date_trunc('month', routed_at AT TIME ZONE 'Asia/Jakarta')::date, ag, cat, prov, kind, 'close',
         closed_at - routed_at FROM r WHERE closed_at IS NOT NULL AND routed_at IS NOT NULL
)
INSERT INTO analytics_durationbucket (period, agency, unit, category, province, kind, metric, days, count)
SELECT period, agency, '', cat, prov, kind, metric,
       least(floor(extract(epoch FROM span) / 86400 * 5 / 7), 999)::int AS days, count(*)
FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""
BACKLOG_SQL = """
INSERT INTO analytics_backlog (agency, category, province, entered_on, count)
SELECT CASE WHEN r.status IN ('submitted', 'on_hold') THEN '' ELSE a.code END, c.code,
       split_part(coalesce(r.region_id, ''), '.', 1),
       (CASE WHEN r.status IN ('submitted', 'on_hold') THEN coalesce(r.hold_started_at, r.created_at)
             ELSE r.routed_at END AT TIME ZONE 'Asia/Jakarta')::date, count(*)
FROM reports_report r JOIN agencies_category c ON c.id = r.category_id LEFT JOIN agencies_agency a ON
  a.id = r.agency_id
WHERE r.status IN ('submitted', 'on_hold', 'routed', 'in_progress')
GROUP BY 1, 2, 3, 4
"""
VOLUME_SQL = """
INSERT INTO analytics_volumehour (hour, category, region, count)
SELECT date_trunc('hour', r.created_at), c.code, coalesce(r.region_id, ''), count(*)
FROM reports_report r JOIN agencies_category c ON c.id = r.category_id GROUP BY 1, 2, 3
"""
SUPPORT_SQL = """
INSERT INTO reports_support (report_id, user_id, created_at)
SELECT r.id, %(low)s + ((r.id * 7919 + g) %% %(n)s), r.verified_at + g * interval '1 hour'
FROM reports_report r, generate_series(0, r.supporters_count - 1) g WHERE r.supporters_count > 0
"""


def _ensure_database(url: str) -> None:
    """A fresh machine has no benchmark database yet: create it (through psql, as the harness does)."""
    import subprocess

    server, _, name = url.rpartition("/")
    exists = subprocess.run(
        ["psql", f"{server}/postgres", "-XAtq", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", f"{server}/postgres", "-XAtq", "-c", f'CREATE DATABASE "{name}"'], check=True)


def load(args: argparse.Namespace) -> dict[str, Any]:
    _ensure_database(args.database_url)
    _django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from lapor.sla.policy import DEFAULT_POLICY

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    args.policy_json = json.dumps(DEFAULT_POLICY.as_dict())
    now = datetime.now(UTC).replace(microsecond=0)
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    with connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg 3 cursor underneath, for COPY
        # The loader writes consistent rows: skip per-row foreign-key triggers for this session only.
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '512MB'")
        ref = _reference(cur)
        rebuild = _reset(cur)
        low, n_citizens = _citizens(cur, now)
        t = time.monotonic()
        bar = Progress("reports", args.reports)
        n_events = 0
        rows = _rows(args.reports, ref, now, args)
        done = 0
        while done < args.reports:
            batch = [next(rows) for _ in range(min(CHUNK, args.reports - done))]
            with cur.copy(f"COPY reports_report ({REPORT_COLUMNS}) FROM STDIN") as copy:
                for report, _, _ in batch:
                    copy.write_row(report)
            with cur.copy(f"COPY reports_timelineevent ({EVENT_COLUMNS}) FROM STDIN") as copy:
                for _, events, _ in batch:
                    for e in events:
                        copy.write_row(e)
                    n_events += len(events)
            with cur.copy("COPY reports_reporteridentity (report_id, name, email, phone) FROM STDIN") as copy:
                for _, _, identity in batch:
                    copy.write_row(identity)
            done += len(batch)
            bar.update(done)
        timings["copy"] = time.monotonic() - t
        counts.update(reports=args.reports, events=n_events, identities=args.reports)
        t = time.monotonic()
        cur.execute(SUPPORT_SQL, {"low": low, "n": n_citizens})
        counts["supports"] = cur.rowcount
        timings["supports"] = time.monotonic() - t
        t = time.monotonic()
        for name, sql in (
            ("rollups", ROLLUP_SQL),
            ("durations", DURATION_SQL),
            ("backlog", BACKLOG_SQL),
            ("volume", VOLUME_SQL),
        ):
            cur.execute(sql)
            counts[name] = cur.rowcount
        timings["rollups"] = time.monotonic() - t
        t = time.monotonic()
        bar = Progress("indexes", len(rebuild))
        for i, statement in enumerate(rebuild, 1):
            cur.execute(statement)
            bar.update(i)
        cur.execute("DROP TABLE bench_dropped_index")
        timings["indexes"] = time.monotonic() - t
        for table in ("reports_report", "reports_timelineevent"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cur.execute("SET session_replication_role = DEFAULT")
        t = time.monotonic()
        # Every table, vacuumed as autovacuum keeps a live database (index-only scans need the visibility
        # map) and analysed (the seeded reference tables never were either).
        cur.execute("VACUUM (ANALYZE)")
        timings["vacuum_analyze"] = time.monotonic() - t
    seconds = time.monotonic() - started
    return {
        "bench": "generate",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu",
        "database": args.database_url.rsplit("/", 1)[-1],
        "open_around_now": args.open_around_now,
        "rows": counts,
        "seconds": round(seconds, 1),
        "phases": {k: round(v, 1) for k, v in timings.items()},
        "reports_per_s": round(args.reports / timings["copy"]),
        "rows_per_s": round(sum(counts[k] for k in ("reports", "events", "identities")) / timings["copy"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--open-around-now", action="store_true", help="only open reports, due around now")
    parser.add_argument("--due-past-hours", type=float, default=1.0, help="with --open-around-now")
    parser.add_argument("--due-spread-days", type=float, default=30.0, help="with --open-around-now")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    result = load(args)
    harness.append_result("generate", result)


if __name__ == "__main__":
    main()
