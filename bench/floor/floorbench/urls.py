from django.urls import path

from floorbench.views import insert

urlpatterns = [path("rows", insert)]
