"""Agency admins configure their own agency in the console: members, roles and units."""

import pytest
from django.test import Client

from lapor.agencies.access import viewer_for
from lapor.agencies.models import Membership, Unit
from lapor.core.models import User
from tests.factories import World

pytestmark = pytest.mark.django_db
URL = "/staf/anggota/"


def signed_in(world: World, who: str) -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def test_admin_gives_and_takes_roles_in_their_own_agency(world: World) -> None:
    User.objects.create_user("budi", password="x")
    admin = signed_in(world, "admin_pemda")
    page = admin.get(URL).content.decode()
    assert "officer_pu" in page and "pemda-34.04/dinas-pu" in page and "admin_pln" not in page
    response = admin.post(
        URL,
        {
            "add_member": "1",
            "agency": "pemda-34.04",
            "username": "budi",
            "role": "unit_officer",
            "unit": "pemda-34.04/dinas-sosial",
        },
    )
    assert response.status_code == 302
    assert viewer_for(User.objects.get(username="budi")).officer_unit_ids == {world.unit_dinsos.pk}
    membership = Membership.objects.get(user__username="budi")
    assert admin.post(URL, {"remove": str(membership.pk)}).status_code == 302
    assert not Membership.objects.filter(user__username="budi").exists()


def test_limits(world: World) -> None:
    admin = signed_in(world, "admin_pemda")
    # A national role cannot be granted here, an officer needs a unit, unknown accounts are refused
    for data in (
        {"role": "verifier", "username": "other_citizen"},
        {"role": "unit_officer", "username": "other_citizen", "unit": ""},
        {"role": "agency_admin", "username": "nobody"},
    ):
        response = admin.post(URL, {"add_member": "1", "agency": "pemda-34.04", **data})
        assert response.status_code == 200
    assert not Membership.objects.filter(user=world.other_citizen).exists()
    # Not their agency: the membership does not exist for them; nor may they remove themselves
    pln_admin = Membership.objects.get(user=world.admin_pln)
    assert admin.post(URL, {"remove": str(pln_admin.pk)}).status_code == 404
    own = Membership.objects.get(user=world.admin_pemda)
    assert admin.post(URL, {"remove": str(own.pk)}).status_code == 200
    assert Membership.objects.filter(pk=own.pk).exists()
    # Officers and citizens do not get the page at all
    assert signed_in(world, "officer_pu").get(URL).status_code == 403
    assert signed_in(world, "citizen").get(URL).status_code == 403


def test_admin_adds_a_unit(world: World) -> None:
    admin = signed_in(world, "admin_pemda")
    response = admin.post(
        URL, {"add_unit": "1", "agency": "pemda-34.04", "slug": "dinas-pertanian", "name": "Dinas Pertanian"}
    )
    assert response.status_code == 302
    assert Unit.objects.filter(code="pemda-34.04/dinas-pertanian", agency=world.pemda).exists()
    again = admin.post(
        URL, {"add_unit": "1", "agency": "pemda-34.04", "slug": "dinas-pertanian", "name": "Dinas Pertanian"}
    )
    assert again.status_code == 200 and "sudah dipakai" in again.content.decode()
