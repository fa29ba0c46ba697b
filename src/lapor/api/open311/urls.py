from django.urls import re_path

from lapor.api.open311 import openapi, views

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
app_name = "open311"
urlpatterns = [
    re_path(r"^openapi\.json$", openapi.openapi, name="openapi"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services_list, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[\w-]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.updates, name="updates"),
]
urlpatterns.append(re_path(r"^.*$", views.not_found, name="not_found"))
