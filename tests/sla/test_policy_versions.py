"""Policies as data: versions per kind, agency kind and agency; the narrowest wins, empty inherits,
and a version that starts later never applies to what was filed before it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lapor.agencies.models import Agency
from lapor.sla.models import PolicyVersion
from lapor.sla.policy import DEFAULT_POLICY, current_policy

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 1, 5, 9, tzinfo=JAKARTA)


def test_scopes_merge_from_wide_to_narrow() -> None:
    pln = Agency.objects.create(code="pln", name="PLN", kind="state_enterprise")
    kai = Agency.objects.create(code="kai", name="KAI", kind="state_enterprise")
    PolicyVersion.objects.create(kind="complaint", followup_days=7, effective_from=T0)
    PolicyVersion.objects.create(
        agency_kind="state_enterprise", followup_days=4, hold_days=5, effective_from=T0
    )
    PolicyVersion.objects.create(agency=pln, followup_days=2, effective_from=T0)
    at = T0 + timedelta(days=1)

    assert current_policy(kind="complaint", at=at).followup_days == 7
    assert current_policy(kind="aspiration", at=at) == DEFAULT_POLICY
    kai_policy = current_policy(kind="complaint", agency=kai, at=at)
    assert (kai_policy.followup_days, kai_policy.hold_days, kai_policy.verify_days) == (4, 5, 3)
    pln_policy = current_policy(kind="complaint", agency=pln, at=at)
    assert (pln_policy.followup_days, pln_policy.hold_days) == (2, 5)


def test_a_later_version_never_applies_to_earlier_moments() -> None:
    PolicyVersion.objects.create(kind="complaint", followup_days=7, effective_from=T0)
    PolicyVersion.objects.create(kind="complaint", followup_days=9, effective_from=T0 + timedelta(days=30))
    assert current_policy(kind="complaint", at=T0 - timedelta(days=1)).followup_days == 5
    assert current_policy(kind="complaint", at=T0 + timedelta(days=1)).followup_days == 7
    assert current_policy(kind="complaint", at=T0 + timedelta(days=31)).followup_days == 9
