from typing import Any

from django.test import Client

from lapor.core.models import User


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(response: Any) -> str:
    return str(response.content.decode())
