from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from lapor.core import clock
from lapor.notifications.delivery import flush
from lapor.notifications.models import Notification, OutboxMessage, Preference


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Failed deliveries stay here, visible, until an admin retries them."""

    list_display = ("created_at", "channel", "address", "subject", "state", "attempts", "last_error")
    list_filter = ("state", "channel")
    search_fields = ("address", "subject", "dedupe_key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    @admin.action(description="Kirim ulang")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = queryset.exclude(state=OutboxMessage.State.SENT).update(
            state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=clock.now()
        )
        flush()
        messages.info(request, f"{count} pesan dijadwalkan ulang.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "report")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "in_app", "language")
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user",) if obj else ()


from lapor.notifications import webhook_admin  # noqa: E402,F401  (registers the webhook models)
