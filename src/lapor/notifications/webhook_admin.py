"""Webhooks in the admin: subscriptions, and every delivery with its attempt log and a replay action."""

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from lapor.audit.services import audit_record
from lapor.notifications.webhook_models import Subscription, WebhookAttempt, WebhookDelivery
from lapor.notifications.webhooks import webhook_replay


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "agency", "owner", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url")
    raw_id_fields = ("owner", "agency")
    readonly_fields = ("secret",)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, "webhook.admin_change" if change else "webhook.admin_add", obj)

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        self._audit(request, "webhook.admin_delete", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    @staticmethod
    def _audit(request: HttpRequest, action: str, obj: Subscription) -> None:
        audit_record(
            action=action,
            actor=request.user,  # type: ignore[arg-type]
            target_type="webhook",
            target_id=obj.pk,
            payload={"agency": obj.agency_id, "active": obj.active, "events": list(obj.events)},
        )


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "duration_ms")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "event_type",
        "tracking_id",
        "subscription",
        "state",
        "attempts",
        "last_status",
    )
    list_filter = ("state", "event_type")
    search_fields = ("tracking_id", "dedupe_key")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.action(description="Kirim ulang (replay)")
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        pks = list(queryset.values_list("pk", flat=True))
        count = webhook_replay(deliveries=Q(pk__in=pks), actor=request.user)  # type: ignore[arg-type]
        messages.info(request, f"{count} pengiriman webhook dijadwalkan ulang.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
