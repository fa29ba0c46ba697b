from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"
