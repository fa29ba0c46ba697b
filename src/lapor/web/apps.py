from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lapor.web"
    label = "web"
