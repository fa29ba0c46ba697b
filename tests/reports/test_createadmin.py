import pytest
from django.core.management import CommandError, call_command

from lapor.agencies.access import viewer_for
from lapor.core.models import User
from tests.factories import World


@pytest.mark.django_db
def test_createadmin_makes_a_superuser_verifier(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPOR_ADMIN_PASSWORD", "korespondensi-Aman-2026")
    call_command("createadmin", "--username", "operator", "--email", "op@contoh.id")
    user = User.objects.get(username="operator")
    assert user.is_superuser and user.check_password("korespondensi-Aman-2026")
    assert viewer_for(user).is_verifier
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "operator")
    monkeypatch.setenv("LAPOR_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "lemah")
    assert not User.objects.filter(username="lemah").exists()
