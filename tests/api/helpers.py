from typing import Any

from django.test import Client

from lapor.core.models import AuthToken, User


def client_for(user: User | None) -> Client:
    """A client that authenticates the way an integration does: a bearer token."""
    if user is None:
        return Client()
    _, raw = AuthToken.issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_json(client: Client, path: str, data: Any, **extra: Any) -> Any:
    return client.post(path, data=data, content_type="application/json", **extra)


def assert_error(response: Any, status: int, code: str | None = None, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field"}, body
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
