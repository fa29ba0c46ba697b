from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "lapor.geo"
    label = "geo"
