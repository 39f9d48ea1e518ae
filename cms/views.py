from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page


def search(request):
    """Site search over published, public pages (Wagtail's database backend)."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
        Query.get(query).add_hit()
    page = Paginator(results, 10).get_page(request.GET.get("pagina"))
    return render(request, "cms/search.html", {"query": query, "results": page})
