"""Configuration in the Django admin for national administrators: units, members and roles, and
response templates. Another app may register a model first; then its registration wins."""

from typing import Any

from django.contrib import admin

from lapor.agencies.models import Agency, Membership, Unit
from lapor.web.models import ResponseTemplate


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["slug", "code", "name"]


class ResponseTemplateInline(admin.StackedInline):
    model = ResponseTemplate
    extra = 0
    fields = ["title", "body"]


class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "direct_intake", "active"]
    list_filter = ["kind", "direct_intake", "active"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["region", "parent"]
    inlines = [UnitInline, ResponseTemplateInline]


class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency"]
    search_fields = ["code", "name", "agency__code"]
    raw_id_fields = ["agency"]


class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "agency__code", "unit__code"]
    raw_id_fields = ["user", "agency", "unit"]
    list_select_related = ["user", "agency", "unit"]


class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "updated_at"]
    search_fields = ["title", "body", "agency__code"]
    raw_id_fields = ["agency"]


REGISTRY: list[tuple[Any, Any]] = [
    (Agency, AgencyAdmin),
    (Unit, UnitAdmin),
    (Membership, MembershipAdmin),
    (ResponseTemplate, ResponseTemplateAdmin),
]
for model, model_admin in REGISTRY:
    if not admin.site.is_registered(model):
        admin.site.register(model, model_admin)
