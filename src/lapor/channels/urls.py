from django.urls import path

from lapor.channels import views

app_name = "channels"
urlpatterns = [
    path("sms/inbound", views.sms_inbound, name="sms_inbound"),
    path("social/inbound", views.social_inbound, name="social_inbound"),
]
