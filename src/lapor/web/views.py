from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.agencies.access import Viewer
from lapor.reports.presenters import report_summary
from lapor.reports.selectors import reports_visible_to


def home(request: HttpRequest) -> HttpResponse:
    # The front page is the same for everyone: the public view, whoever is signed in.
    latest = reports_visible_to(viewer=Viewer.public())[:10]
    return render(request, "web/home.html", {"reports": [report_summary(r) for r in latest]})
