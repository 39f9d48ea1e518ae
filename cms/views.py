from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

INITIATIVES_SHOWN = 5


def search(request):
    """Site search over published, public pages (Wagtail's database backend) and the initiatives the
    visitor may see (the same rule as the initiatives list: no draft shows up for anyone else)."""
    from initiatives.web_selectors import list_page_queryset

    # NUL cannot be stored or searched by any database: drop it (and other control characters) first.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()[:200]
    results = Page.objects.none()
    initiatives, initiative_count = [], 0
    if query:
        results = Page.objects.live().public().specific().search(query)
        Query.get(query).add_hit()
        matching = list_page_queryset(user=request.user, query=query, sort="newest")
        initiatives = list(matching[:INITIATIVES_SHOWN])
        initiative_count = matching.count() if len(initiatives) == INITIATIVES_SHOWN else len(initiatives)
    page = Paginator(results, 10).get_page(request.GET.get("pagina"))
    return render(request, "cms/search.html", {
        "query": query, "results": page, "initiatives": initiatives, "initiative_count": initiative_count,
    })
