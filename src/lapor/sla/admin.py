from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from lapor.sla.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "agency_kind",
        "agency",
        "effective_from",
        "verify_days",
        "followup_days",
    )
    list_filter = ("kind", "agency_kind")
    raw_id_fields = ("agency",)
    search_fields = ("agency__code", "note")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version already in force is history: change the rules by adding a newer version.
        if obj is not None and obj.effective_from <= timezone.now():
            return False
        return super().has_change_permission(request, obj)
