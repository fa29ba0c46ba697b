"""The demo data: loads on top of the reference seed, covers every status, gives each demo account its
role, and a second load changes nothing."""

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from lapor.agencies.models import Membership, Role
from lapor.agencies.seed import seed_reference
from lapor.core.models import User
from lapor.geo.seed import load_regions
from lapor.reports.demo import ACCOUNTS, DEMO_PASSWORD, STORIES, load_demo
from lapor.reports.models import Kind, Report, Support, TimelineEvent
from lapor.reports.workflow import Status


@pytest.mark.django_db
def test_demo_accounts_command_without_demo_data() -> None:
    # First in the module: the module-scoped `demo` fixture below is still in force once set up.
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "belum dimuat" in out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Seed and load once for the module (it is the slow part) in a transaction rolled back at the end;
    each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_regions()
        seed_reference()
        out = io.StringIO()
        load_demo(stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: str, db: None) -> str:
    return demo


def test_every_status_appears(loaded: str) -> None:
    # given the demo loaded / then every status of the workflow has at least one report
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Report.objects.count() == len(STORIES) >= 30


def test_the_interesting_cases_are_there(loaded: str) -> None:
    assert Report.objects.filter(status=Status.CLOSED, rating__isnull=False).count() >= 3
    assert Report.objects.filter(status=Status.CLOSED, rating__isnull=True).exists()  # auto-closed
    assert Report.objects.filter(duplicate_of__isnull=False, archive_reason="duplicate").count() == 1
    assert set(Report.objects.exclude(archive_reason="").values_list("archive_reason", flat=True)) >= {
        "not_public_service",
        "spam_abusive",
        "out_of_scope",
        "too_general",
        "duplicate",
    }
    assert Report.objects.filter(escalation_level__gt=0).exists()
    assert Report.objects.filter(flagged=True, status=Status.SUBMITTED).exists()
    assert Report.objects.filter(reopen_count=1, status=Status.IN_PROGRESS).exists()
    assert TimelineEvent.objects.filter(action="decline").exists()
    assert Report.objects.filter(decline_count=1, status=Status.IN_PROGRESS).exists()  # declined, re-routed
    assert Report.objects.filter(anonymous=True).exists()
    assert Report.objects.filter(confidential=True).exists()
    assert Report.objects.filter(reporter__isnull=True).count() >= 5  # guests
    assert set(Report.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Report.objects.values("category").distinct().count() >= 12
    assert Report.objects.values("region").distinct().count() >= 8
    assert Support.objects.exists()


def test_every_demo_account_has_its_role(loaded: str) -> None:
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        rows = list(Membership.objects.filter(user=user).select_related("agency", "unit"))
        if account.role is None:
            assert rows == [], account.username
            assert user.get_full_name() and user.email
            continue
        assert [(m.role, m.agency.code, m.unit.code if m.unit else "") for m in rows] == [
            (account.role, account.agency, account.unit)
        ], account.username


@pytest.mark.parametrize(
    ("username", "role", "agency", "unit"),
    [
        ("verifikator", Role.VERIFIER, "lapor-nasional", None),
        ("ombudsman", Role.SUPERVISOR, "ombudsman", None),
        ("admin-pln", Role.AGENCY_ADMIN, "pln", None),
        ("admin-kemensos", Role.AGENCY_ADMIN, "kemensos", None),
        ("admin-polri", Role.AGENCY_ADMIN, "polri", None),
        ("admin-pemda-34.04", Role.AGENCY_ADMIN, "pemda-34.04", None),
        ("petugas-pemda-34.04-dinas-pu", Role.UNIT_OFFICER, "pemda-34.04", "pemda-34.04/dinas-pu"),
    ],
)
def test_the_named_accounts(loaded: str, username: str, role: str, agency: str, unit: str | None) -> None:
    m = Membership.objects.select_related("agency", "unit").get(user__username=username)
    assert (m.role, m.agency.code, m.unit.code if m.unit else None) == (role, agency, unit)


def test_warga_is_a_citizen(loaded: str) -> None:
    warga = User.objects.get(username="warga")
    assert not Membership.objects.filter(user=warga).exists()
    assert warga.get_full_name() and warga.email
    assert Report.objects.filter(reporter=warga).exists()


def test_bodies_are_long_enough(loaded: str) -> None:
    assert min(len(body) for body in Report.objects.values_list("body", flat=True)) >= 20


@pytest.mark.parametrize("model", [Report, TimelineEvent])
def test_values_fit_their_columns(loaded: str, model: type[Report] | type[TimelineEvent]) -> None:
    # SQLite ignores max_length; PostgreSQL does not. Catch an over-long value on either.
    limits = {
        f.attname: f.max_length
        for f in model._meta.concrete_fields
        if f.get_internal_type() in {"CharField", "SlugField"} and f.max_length
    }
    for row in model.objects.values(*limits):
        for name, limit in limits.items():
            assert row[name] is None or len(row[name]) <= limit, (model.__name__, name, row[name])


def test_loading_twice_changes_nothing(loaded: str) -> None:
    before = (
        User.objects.count(),
        Membership.objects.count(),
        Report.objects.count(),
        TimelineEvent.objects.count(),
        Support.objects.count(),
    )
    out = io.StringIO()
    load_demo(stdout=out)
    after = (
        User.objects.count(),
        Membership.objects.count(),
        Report.objects.count(),
        TimelineEvent.objects.count(),
        Support.objects.count(),
    )
    assert after == before
    assert "sudah dimuat" in out.getvalue()


def test_demo_accounts_command_prints_the_table(loaded: str) -> None:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for account in ACCOUNTS:
        assert account.username in text
