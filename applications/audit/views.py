"""The access log page: officers and the donor's auditors search who saw, exported or downloaded what, and why."""

from django.core.paginator import Paginator
from django.shortcuts import render

from common.views import perm_required

from .actions import action_label
from .forms import AccessLogSearchForm
from .selectors import access_log_people, access_log_search

PAGE_SIZE = 50


@perm_required("applications.read_access_log")
def access_log(request):
    form = AccessLogSearchForm(request.GET or None, users=access_log_people())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_search(**filters) if not form.is_bound or form.is_valid() else access_log_search().none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = action_label(entry.action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "query": query.urlencode()})
