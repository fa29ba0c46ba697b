"""Early warning against generated background traffic: Poisson arrivals per (category, region) cell.
A spike injected into the traffic is flagged by the next run; a month of background alone raises at
most one false alert; runs are idempotent and tell supervisors and the agencies concerned once."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Category, Membership, Role
from lapor.analytics.models import Alert
from lapor.analytics.warning import run
from lapor.analytics.warning.spikes import poisson_upper_tail
from lapor.core.clock import frozen_at
from lapor.geo.models import Region
from lapor.notifications.models import Notification
from lapor.reports.services import ReportDraft
from lapor.reports.services.bulk import report_submit_many

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 1, 1, 0, tzinfo=WIB)
WORDS = (
    "lampu jalan mati gelap rawan kecelakaan sekolah guru gaji terlambat puskesmas antrean obat habis "
    "sampah menumpuk bau selokan banjir genangan air keruh pipa bocor tagihan listrik padam trafo "
    "bansos tidak tepat sasaran data ganda kartu identitas akta kelahiran pelayanan lambat pungutan liar "
    "izin usaha berbelit jembatan retak trotoar rusak angkutan umum tarif naik terminal kotor pasar "
    "becek parkir liar pohon tumbang kabel menjuntai sinyal internet lemah pajak kendaraan denda "
    "sertifikat tanah sengketa batas pupuk langka harga beras mahal rumah susun kumuh pegawai kantor"
).split()
CELLS = [
    (cat, reg, rate)
    for cat in ("water", "health")
    for reg, rate in (("91.01", 0.5), ("91.02", 1.5), ("91.03", 3))
]


def _random_text(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 14)).capitalize() + "."


def _setup() -> None:
    papua = Region.objects.create(code="91", name="Papua", level=1, kind="provinsi", timezone="Asia/Jayapura")
    for code in ("91.01", "91.02", "91.03"):
        Region.objects.create(code=code, name=f"Kab {code}", level=2, kind="kabupaten", parent=papua)
    for code in ("water", "health"):
        Category.objects.get_or_create(code=code, defaults={"name": code, "name_en": code})


def _file(at: datetime, drafts: list[ReportDraft]) -> None:
    with frozen_at(at):
        outcomes = report_submit_many(drafts=drafts, actor=Viewer.system())
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error]


def _draft(category: str, region: str, body: str, n: int) -> ReportDraft:
    return ReportDraft(
        body=body,
        title="",
        category=category,
        region=region,
        reporter_name=f"Warga {n}",
        reporter_email=f"warga{n}@contoh.id",
        channel="paper",
    )


def background(days: int, *, seed: int = 7, start: datetime = START) -> datetime:
    """Poisson traffic, hour by hour, for `days` days; returns the end moment."""
    rng = random.Random(seed)
    n = 0
    for hour in range(days * 24):
        at = start + timedelta(hours=hour, minutes=rng.randrange(60))
        drafts = []
        for category, region, per_day in CELLS:
            # Poisson(per_day / 24) by inversion: the count of arrivals in this hour.
            k, p, u = 0, pow(2.718281828459045, -per_day / 24), rng.random()
            cumulative = p
            while u > cumulative:
                k += 1
                p *= per_day / 24 / k
                cumulative += p
            for _ in range(k):
                n += 1
                drafts.append(_draft(category, region, _random_text(rng), n))
        if drafts:
            _file(at, drafts)
    return start + timedelta(days=days)


def test_poisson_tail_is_exact_for_small_counts() -> None:
    assert poisson_upper_tail(0, 2.0) == 1.0
    assert poisson_upper_tail(1, 2.0) == pytest.approx(1 - 2.718281828459045**-2)
    assert poisson_upper_tail(5, 0.1) == pytest.approx(7.67e-8, rel=0.01)
    assert poisson_upper_tail(3, 0.0) == 0.0


@pytest.mark.django_db
def test_a_spike_is_flagged_by_the_next_run_and_told_once() -> None:
    _setup()
    pemda = Agency.objects.create(code="pemda-91.02", name="Pemkab 91.02", kind="regency_gov")
    ombudsman = Agency.objects.create(code="ombudsman", name="Ombudsman", kind="oversight")
    from lapor.core.models import User

    admin = User.objects.create_user(username="admin91", password="x")
    supervisor = User.objects.create_user(username="pengawas", password="x")
    bystander = User.objects.create_user(username="lain", password="x")
    Membership.objects.create(user=admin, agency=pemda, role=Role.AGENCY_ADMIN)
    Membership.objects.create(user=supervisor, agency=ombudsman, role=Role.SUPERVISOR)
    end = background(30)
    with frozen_at(end):
        assert run()["created"] == 0  # quiet before the spike
    # Twelve reports about one thing in a cell that usually gets 1.5 a day, within three hours.
    _file(
        end + timedelta(hours=1),
        [
            _draft("water", "91.02", f"Air PDAM keruh dan berbau di kampung {i} sejak kemarin pagi.", 900 + i)
            for i in range(12)
        ],
    )
    with frozen_at(end + timedelta(hours=3)):
        result = run()
    spikes = Alert.objects.filter(kind=Alert.Kind.VOLUME_SPIKE, active=True)
    assert [(a.category, a.region) for a in spikes] == [("water", "91.02")]
    alert = spikes.get()
    assert alert.observed >= 12 and alert.p_value is not None and alert.p_value < 1e-4
    assert "pemda-91.02" in alert.agencies and len(alert.report_ids) >= 12
    assert result["created"] >= 1
    told = set(Notification.objects.filter(kind="early_warning").values_list("user__username", flat=True))
    assert told == {"admin91", "pengawas"} and "lain" not in told and bystander.pk
    # Idempotent: the same moment again, and the next hour, change nothing and tell nobody again.
    before = Notification.objects.count()
    with frozen_at(end + timedelta(hours=3)):
        call_command("stats", "warn")
    call_command("stats", "warn", now=(end + timedelta(hours=4)).isoformat())
    assert Notification.objects.count() == before
    assert Alert.objects.filter(kind=Alert.Kind.VOLUME_SPIKE).count() == 1
    # A day and a half later the rise is over and the alert is retired.
    with frozen_at(end + timedelta(hours=40)):
        run()
    assert not Alert.objects.filter(active=True, kind=Alert.Kind.VOLUME_SPIKE).exists()


@pytest.mark.django_db
def test_a_month_of_background_raises_at_most_one_false_alert() -> None:
    _setup()
    start = background(58, seed=11)  # 28 days of history, then a month of hourly runs
    first_run = start - timedelta(days=30)
    for hour in range(0, 30 * 24, 1):
        with frozen_at(first_run + timedelta(hours=hour)):
            run()
    assert Alert.objects.count() <= 1


@pytest.mark.django_db
def test_an_emerging_topic_is_flagged() -> None:
    _setup()
    end = background(16, seed=3)
    texts = [
        "Distribusi bantuan beras bansos di desa {0} dipotong oknum perangkat desa sepuluh kilogram.",
        "Beras bansos untuk warga desa {0} dipotong sepuluh kilogram oleh oknum perangkat desa.",
    ]
    _file(
        end,
        [_draft("health", f"91.0{1 + i % 3}", texts[i % 2].format(i), 700 + i) for i in range(7)],
    )
    with frozen_at(end + timedelta(hours=1)):
        run()
    topics = Alert.objects.filter(kind=Alert.Kind.EMERGING_TOPIC)
    assert topics.count() == 1
    topic = topics.get()
    assert topic.observed == 7 and "bansos" in " ".join(topic.terms + [topic.key])
