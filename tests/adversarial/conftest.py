"""Shared pieces of the adversarial tests."""

from lapor.core.models import AuthToken, User


def bearer(user: User) -> dict[str, str]:
    """The headers of an integration or app signed in as `user` with a bearer token."""
    _, raw = AuthToken.issue(user=user)
    return {"Authorization": f"Bearer {raw}"}
