"""Small pieces shared by the views: staff gate, error pages, pagination, the searchable pickers."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.agencies.models import Agency
from lapor.agencies.selectors import agencies_search
from lapor.core.errors import Invalid
from lapor.core.keyset import Key, Listing, bounded_count, encode, order, page_after, page_rows
from lapor.geo.models import Region
from lapor.geo.selectors import regions_search
from lapor.web.context import viewer

__all__ = [
    "ListPage",
    "agency_picker",
    "forbidden",
    "list_page",
    "page_of",
    "query_without_page",
    "region_picker",
    "safe_next",
    "shown",
    "staff_required",
]

PAGE_SIZE = 20
PICKER_LIMIT = 8

View = TypeVar("View", bound=Callable[..., HttpResponse])


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    return render(
        request,
        "web/errors/403.html",
        {"message": message or _("Anda tidak berwenang melakukan tindakan ini.")},
        status=403,
    )


def staff_required(view: View) -> View:
    """The console is for officers: sign in first, then only people with a membership get in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not viewer(request).is_staff_member:
            return forbidden(request, _("Halaman ini hanya untuk petugas."))
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def safe_next(request: HttpRequest) -> str | None:
    """A `next` that stays on this site, or None."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def shown(count: int, exact: bool) -> int | str:
    """A count as a page shows it: "1000+" past the cap, since counting on would cost more than the page."""
    return count if exact else f"{count}+"


class CappedPaginator(Paginator):
    def __init__(self, rows: QuerySet[Any] | Listing[Any], per_page: int) -> None:
        super().__init__(cast(Any, rows), per_page)  # counted and cut below, never as a sequence
        self.rows = rows

    @cached_property
    def _bounded(self) -> tuple[int, bool]:
        return bounded_count(self.rows)

    @property
    def count(self) -> int:
        return self._bounded[0]

    @property
    def capped(self) -> bool:
        return not self._bounded[1]

    @property
    def shown_count(self) -> int | str:
        return shown(*self._bounded)

    @property
    def shown_pages(self) -> int | str:
        return shown(self.num_pages, self._bounded[1])

    def page(self, number: Any) -> Page[Any]:
        """Django's `page`, cutting the rows through `page_rows`."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(page_rows(self.rows, bottom, top), number, self)


def page_of(request: HttpRequest, qs: QuerySet[Any] | Listing[Any], size: int = PAGE_SIZE) -> Page[Any]:
    return CappedPaginator(qs, size).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class ListPage:
    """One page of a list: by number within the count's cap (`page`), or past it by the keyset cursor
    (`page` None). `next_cursor` leads on from the last numbered page, or from this cursor page."""

    rows: list[Any]
    page: Page[Any] | None
    next_cursor: str | None
    error: str = ""

    @property
    def by_cursor(self) -> bool:
        return self.page is None


def list_page(
    request: HttpRequest,
    numbered: Callable[[], QuerySet[Any] | Listing[Any]],
    keys: Sequence[Key],
    *,
    everything: QuerySet[Any],
    size: int | None = None,
) -> ListPage:
    """The rows of `numbered()` by page number, as far as the count goes; from the last numbered page
    "Berikutnya" goes on through `everything` (the same rows as a queryset, which `numbered` may find
    another way: the search index) by the cursor, as the API reads, so no row is out of reach.
    `numbered` is called only for a numbered page: a cursor page never pays for the count."""
    size = size or PAGE_SIZE
    error = ""
    if cursor := request.GET.get("cursor"):
        try:
            rows, following = page_after(everything, keys, cursor, size)
            return ListPage(rows, None, following)
        except Invalid:
            error = _("Tautan halaman itu tidak valid. Berikut halaman pertama.")
    listed = numbered()
    if isinstance(listed, QuerySet):
        listed = listed.order_by(*order(keys))  # the cursor's order, so that it goes on exactly there
    paginator = CappedPaginator(listed, size)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    following = encode(rows[-1], keys) if rows and paginator.capped and not page.has_next() else None
    return ListPage(rows, page, following, error)


def query_without_page(request: HttpRequest) -> str:
    params = [(k, v) for k, values in request.GET.lists() if k not in {"page", "cursor"} for v in values if v]
    return urlencode(params)


# --- Searchable pickers (htmx fragments; without JavaScript the form resolves the typed text) --------


def _picker(
    request: HttpRequest, *, template: str, field: str, selected: Any, options: list[Any]
) -> HttpResponse:
    return render(request, template, {"field": field, "selected": selected, "options": options})


def find_region(code: str | None) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


def find_agency(code: str | None) -> Agency | None:
    return Agency.objects.filter(code=code, active=True).first() if code else None


@require_GET
def region_picker(request: HttpRequest) -> HttpResponse:
    field = request.GET.get("field", "region")
    if field not in {"region"}:
        field = "region"
    term = request.GET.get(f"{field}_q", request.GET.get("q", "")).strip()[:100]
    selected = find_region(request.GET.get(field))
    options = list(regions_search(q=term)[:PICKER_LIMIT]) if len(term) >= 2 else []
    options = [o for o in options if selected is None or o.code != selected.code]
    return _picker(
        request, template="web/fragments/region_options.html", field=field, selected=selected, options=options
    )


@require_GET
def agency_picker(request: HttpRequest) -> HttpResponse:
    field = request.GET.get("field", "agency")
    if field not in {"agency", "target_agency", "route-agency"}:
        field = "agency"
    term = request.GET.get(f"{field}_q", request.GET.get("q", "")).strip()[:100]
    selected = find_agency(request.GET.get(field))
    found = agencies_search(q=term).filter(active=True) if len(term) >= 2 else Agency.objects.none()
    if request.GET.get("routable"):
        found = found.exclude(kind=Agency.Kind.NATIONAL_NODE)
    options = [o for o in found[:PICKER_LIMIT] if selected is None or o.code != selected.code]
    return _picker(
        request, template="web/fragments/agency_options.html", field=field, selected=selected, options=options
    )


def resolve_typed(code: str | None, typed: str | None, *, kind: str) -> str | None:
    """Without JavaScript a person types "sleman" and never picks: take the one clear match."""
    if code:
        return code
    term = (typed or "").strip()
    if len(term) < 2:
        return None
    found = (
        list(regions_search(q=term)[:2])
        if kind == "region"
        else list(agencies_search(q=term).filter(active=True)[:2])
    )
    if len(found) == 1 or (found and getattr(found[0], "_rank", 1) == 0):
        return str(found[0].code)
    return None
