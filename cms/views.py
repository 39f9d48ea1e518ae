from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.contrib.search_promotions.models import Query

from cms.search import search_pages
from cms.translation import localize_pages

INITIATIVES_SHOWN = 5


def serve(request, path):
    """Wagtail's page view, with the page found from the page map when it knows the path, else by Wagtail's
    walk through the site's own tree (cms.routing)."""
    from wagtail import views as wagtail_views

    from cms.routing import find_site, route_by_map, route_in_site_tree

    find_site(request)
    if not hasattr(request, "_wagtail_route_for_request"):  # where Wagtail keeps the route it found (None: 404)
        request._wagtail_route_for_request = route_by_map(request, path) or route_in_site_tree(request, path)
    return wagtail_views.serve(request, path)


def search(request):
    """Site search over published, public pages (Wagtail's database backend) and the initiatives the
    visitor may see (the same rule as the initiatives list: no draft shows up for anyone else)."""
    from initiatives.web_selectors import list_page_queryset

    # NUL cannot be stored or searched by any database: drop it (and other control characters) first.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()[:200]
    results = []
    initiatives, initiative_count = [], 0
    if query:
        results = search_pages(query)  # found and shown in the visitor's language (cms.translation)
        Query.get(query).add_hit()
        matching = list_page_queryset(user=request.user, query=query, sort="newest")
        initiatives = list(matching[:INITIATIVES_SHOWN])
        initiative_count = matching.count() if len(initiatives) == INITIATIVES_SHOWN else len(initiatives)
    page = Paginator(results, 10).get_page(request.GET.get("pagina"))
    page.object_list = localize_pages(page.object_list)
    return render(request, "cms/search.html", {
        "query": query, "results": page, "initiatives": initiatives, "initiative_count": initiative_count,
    })
