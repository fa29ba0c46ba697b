"""Citizens who write from a phone or a mailbox get a passive account per address (no password, no
sign-in until they choose one through "lupa sandi"), so their later messages can act as the reporter
of their own reports: a reply by e-mail, `CEK` by SMS. These accounts are apart from web accounts
with the same address (username `mail:`/`sms:` plus the address): a forged sender can never reach a
report filed on the website (see the ADR on intake channels)."""

import re

from django.db import IntegrityError, transaction

from lapor.core.models import User
from lapor.notifications.models import Preference

__all__ = ["contact_user", "existing_contact", "normalize_phone"]

PHONE = re.compile(r"^\+?[0-9]{7,15}$")


def normalize_phone(raw: str) -> str | None:
    """+62… from the forms Indonesian gateways send (0812…, 62812…, +62 812-…, whatsapp:+62…)."""
    value = re.sub(r"[\s().-]", "", raw.removeprefix("whatsapp:"))
    if value.startswith("0"):
        value = "+62" + value[1:]
    elif value.startswith("62"):
        value = "+" + value
    return value if PHONE.match(value) else None


def _username(kind: str, address: str) -> str:
    return f"{kind}:{address.lower()}"[:150]


def existing_contact(kind: str, address: str) -> User | None:
    return User.objects.filter(username=_username(kind, address), is_active=True).first()


def contact_user(*, kind: str, address: str, name: str) -> User:
    """The passive account for this address, created on first contact. `kind` is "mail" or "sms";
    the channel the citizen used is the one they hear back on."""
    if (user := existing_contact(kind, address)) is not None:
        return user
    try:
        with transaction.atomic():
            user = User(
                username=_username(kind, address),
                first_name=name[:150],
                email=address if kind == "mail" else "",
                phone=address if kind == "sms" else "",
            )
            user.set_unusable_password()
            user.save()
            Preference.objects.create(user=user, email=kind == "mail", sms=kind == "sms", in_app=False)
    except IntegrityError:
        return User.objects.get(username=_username(kind, address))
    return user
