"""Small presentation helpers for the portal and console templates."""

from typing import Any

from django import template
from django.utils.translation import get_language, gettext_lazy

register = template.Library()

BADGES = {
    "overdue": ("overdue", gettext_lazy("Terlambat")),
    "today": ("today", gettext_lazy("Jatuh tempo hari ini")),
    "on_time": ("on-time", gettext_lazy("Tepat waktu")),
}


@register.filter
def localized_name(obj: Any) -> str:
    """A category's English name when the page is in English; otherwise the Indonesian name."""
    if obj is None:
        return ""
    english = (get_language() or "id").startswith("en")
    name_en = getattr(obj, "name_en", "")
    return str(name_en if english and name_en else obj.name)


@register.inclusion_tag("web/includes/badge.html")
def deadline_badge(state: str | None) -> dict[str, Any]:
    if state not in BADGES:
        return {"state": None}
    css, label = BADGES[state]
    return {"state": css, "label": label}


@register.filter
def field_of(form: Any, name: str) -> Any:
    return form[name]


@register.simple_tag(takes_context=True)
def staff_member(context: Any) -> bool:
    """Whether the person looking is an officer (so the header offers the console)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    from lapor.web.context import viewer

    return viewer(request).is_staff_member


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """The bell's count: the signed-in person's unread in-app notifications (one indexed count)."""
    from lapor.notifications.selectors import unread_count

    user = context["request"].user
    return unread_count(user=user) if user.is_authenticated else 0
