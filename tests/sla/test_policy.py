"""SlaPolicy is data that is frozen onto a report, so it must round-trip and tolerate other versions."""

import pytest

from lapor.sla.policy import DEFAULT_POLICY, SlaPolicy, current_policy


def test_defaults_are_the_published_rules() -> None:
    assert DEFAULT_POLICY.as_dict() == {
        "verify_days": 3,
        "followup_days": 5,
        "reply_window_days": 10,
        "hold_days": 10,
        "reopen_window_days": 10,
        "escalation_step_days": 2,
        "referral_days": 60,
    }


def test_round_trip_ignores_unknown_keys_and_defaults_missing_ones() -> None:
    custom = SlaPolicy(verify_days=2, referral_days=90)
    assert SlaPolicy.from_dict(custom.as_dict()) == custom
    assert SlaPolicy.from_dict({"verify_days": 1, "added_by_newer_code": 7}) == SlaPolicy(verify_days=1)
    assert SlaPolicy.from_dict({}) == DEFAULT_POLICY


@pytest.mark.parametrize("bad", [{"hold_days": -1}, {"hold_days": "ten"}])
def test_invalid_values_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SlaPolicy.from_dict(bad)


@pytest.mark.django_db
def test_every_kind_gets_the_default_without_versions() -> None:
    assert current_policy(kind="complaint") == DEFAULT_POLICY
    assert current_policy(kind="aspiration") == DEFAULT_POLICY
