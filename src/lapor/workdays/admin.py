from django.contrib import admin

from lapor.workdays.models import DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):  # unsubscripted: works without django_stubs_ext.monkeypatch()
    """Officials enter decrees here; saving invalidates every cached calendar (see workdays.services)."""

    list_display = ["date", "name", "is_working_day", "province", "created_at"]
    list_filter = ["is_working_day", "province"]
    search_fields = ["name"]
    date_hierarchy = "date"
    list_select_related = ["province"]
