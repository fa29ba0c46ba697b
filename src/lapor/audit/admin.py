"""The log in the Django admin: read-only for whoever may read it, and every look is itself logged."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from lapor.audit.models import AuditEntry
from lapor.audit.selectors import may_read_audit
from lapor.audit.services import audit_record


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor_display", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "actor_display", "action")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_per_page = 100
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        if may_read_audit(getattr(request, "user", None)):
            return super().get_queryset(request)
        return AuditEntry.objects.none()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read_audit(request.user)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read_audit(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _log_read(self, request: HttpRequest, target: str) -> None:
        if may_read_audit(request.user):  # type: ignore[arg-type]
            audit_record(
                action="audit.read",
                actor=request.user,  # type: ignore[arg-type]
                target_type="audit",
                target_id=target,
                payload={"query": request.GET.urlencode()[:200]},
            )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        self._log_read(request, "list")
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        self._log_read(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)
