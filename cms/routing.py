"""Finding the page for a path in one query, and its view restrictions in none.

Wagtail finds a page by walking the tree from the site's root, one query per level plus one for each
page's specific type, and then asks the database for the view restrictions of the page and all its
ancestors: eight queries for a kern page before it shows anything. Everything that walk learns changes
only when pages are published, unpublished, moved or deleted, or a restriction is set: exactly when
``core.pagecache`` starts a new generation. So the map from path to page, and where the restrictions
are, is built once per generation and kept in the cache (docs/decisions/0021).

A page is served from the map only when nothing along its path routes by its own rules (a page type
that overrides ``route``, say with ``RoutablePageMixin``): those, and any path the map does not know,
take Wagtail's walk as before. Page types may name ``route_related`` (``select_related`` fields) so
that what every render of them reads comes with the page.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from core.pagecache import generation

MAP_SECONDS = 3600
MAP_VERSION = 3  # raised when PageMap changes shape: a map kept by the previous release is never read


@dataclass(frozen=True)
class PageMap:
    pages: dict[str, tuple[int, int]]  # url_path -> (page id, content type id), live pages servable by path
    restricted: dict[str, int]  # tree path -> page id, of every page with a view restriction
    alias_paths: frozenset[str]  # tree paths of aliases (their restrictions are their source's)
    # translation key -> language -> page id, of the live pages in other languages than the site's
    translations: dict[str, dict[str, int]]
    site_locale_id: int | None  # the Locale of the site's own language
    # tree path -> (url_path, title, translation key) of the site's live pages, and translation key ->
    # language -> title of their live translations: breadcrumbs without a query
    titles: dict[str, tuple[str, str, str]]
    translated_titles: dict[str, dict[str, str]]


def routes_by_path(model) -> bool:
    """Whether Wagtail's walk through ``model`` is the plain one (a child per slug) that the map repeats."""
    return model.route is Page.route or getattr(model, "routes_children_by_slug", False)


def _build() -> PageMap:
    rows = list(Page.objects.order_by("path").values_list("id", "path", "url_path", "content_type_id", "live",
                                                         "alias_of_id", "translation_key",
                                                         "locale__language_code", "title"))
    plain = {ct: routes_by_path(ContentType.objects.get_for_id(ct).model_class() or Page)
             for ct in {row[3] for row in rows}}
    pages, irregular = {}, []
    translations, titles, translated_titles = {}, {}, {}
    for page_id, path, url_path, content_type_id, live, alias_of, key, language, title in rows:
        if language != settings.LANGUAGE_CODE:  # a translation: shown over its page, never routed to
            if live and not alias_of:
                translations.setdefault(str(key), {})[language] = page_id
                translated_titles.setdefault(str(key), {})[language] = title
            continue
        if live:
            titles[path] = (url_path, title, str(key))
        if not plain[content_type_id]:
            irregular.append(path)
        if live and not any(path.startswith(prefix) for prefix in irregular):
            pages[url_path] = (page_id, content_type_id)
    restricted = dict(PageViewRestriction.objects.values_list("page__path", "page_id"))
    aliases = frozenset(row[1] for row in rows if row[5])
    site_locale_id = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values_list("pk", flat=True).first()
    return PageMap(pages=pages, restricted=restricted, alias_paths=aliases, translations=translations,
                   site_locale_id=site_locale_id, titles=titles, translated_titles=translated_titles)


# The map of the current generation, kept in this process as well: reading it from the shared cache on
# every request would cost more than the queries it saves. A new generation is seen at the next request.
_in_process: tuple[int, PageMap] | None = None


def page_map() -> PageMap:
    global _in_process
    current = generation()
    kept = _in_process
    if kept is not None and kept[0] == current:
        return kept[1]
    key = f"samenlab:page-map:{MAP_VERSION}:{current}"
    found = cache.get(key)
    if found is None:
        found = _build()
        cache.set(key, found, timeout=MAP_SECONDS)
    _in_process = (current, found)
    return found


# The sites of the current generation, by host and port, kept in this process: Wagtail asks the database on
# every request (one query with a CASE per site). Saving or deleting a site starts a new generation (cms.signals).
_sites: tuple[int, dict] | None = None
SITES_KEPT = 16  # hosts are checked against ALLOWED_HOSTS first; still, a made-up host never grows this further


def find_site(request) -> Site | None:
    """``Site.find_for_request``, from this process's memory when it answered for this host and port in the
    current generation; Wagtail's own look-up otherwise. Kept on the request, where Wagtail looks first."""
    global _sites
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    current = generation()
    kept = _sites
    if kept is None or kept[0] != current:
        kept = _sites = (current, {})
    where = (split_domain_port(request._get_raw_host())[0], request.get_port())
    if where in kept[1]:
        site = kept[1][where]
    else:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page  # noqa: B018 (loaded once here: every page reads it)
        if len(kept[1]) < SITES_KEPT:
            kept[1][where] = site
    # Each request gets its own copy: nothing a request sets on its site reaches another.
    request._wagtail_site = copy.copy(site) if site is not None else None
    return request._wagtail_site


def route_by_map(request, path: str) -> RouteResult | None:
    """The page at ``path`` for this request's site, in one query; None when the map does not know it
    (Wagtail's own walk then decides, 404 included)."""
    site = find_site(request)
    if site is None:
        return None
    found = page_map().pages.get(site.root_page.url_path + path)
    if found is None:
        return None
    page_id, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.select_related(*getattr(model, "route_related", ())).filter(pk=page_id, live=True).first()
    return RouteResult(page) if page is not None else None


def route_in_site_tree(request, path: str) -> RouteResult | None:
    """Wagtail's walk, from the site's own root page. Wagtail starts from the root's translation in the
    active language; here a translation is never routed to (cms.translation), so an English visitor
    walks the same Dutch tree as everyone."""
    site = find_site(request)
    if site is None:
        return None
    try:
        return site.root_page.specific.route(request, [part for part in path.split("/") if part])
    except Http404:
        return None


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    language: str  # the language the title is in


def breadcrumb_trail(page, request, language: str) -> list[Crumb] | None:
    """The ancestors of ``page`` below the site's root page and the root itself, with their titles in
    ``language`` where translated; None when the map cannot tell (a page outside the site's tree)."""
    site = find_site(request)
    found = page_map()
    if site is None:
        return None
    root = site.root_page.url_path
    trail = []
    for depth in range(2, page.depth):
        entry = found.titles.get(page.path[:depth * Page.steplen])
        if entry is None or not entry[0].startswith(root):
            return None
        url_path, title, key = entry
        translated = found.translated_titles.get(key, {}).get(language)
        shown_language = language if translated else settings.LANGUAGE_CODE
        trail.append(Crumb(title=translated or title, url="/" + url_path[len(root):], language=shown_language))
    return trail


def public(pages):
    """``pages`` without those under a view restriction, as Wagtail's ``PageQuerySet.public()``, which
    reads every restriction from the database each time it is called; here they come from the map."""
    from django.db.models import Q

    restricted = Q()
    for path in page_map().restricted:
        restricted |= Q(path__startswith=path)
    return pages.exclude(restricted) if restricted else pages


def view_restrictions_of(page):
    """The view restrictions that apply to ``page`` (its own and its ancestors'), as Wagtail's
    ``Page.get_view_restrictions``, without a query when none apply. Pages under an alias are left to
    Wagtail, which resolves the alias to its source."""
    found = page_map()
    if any(page.path.startswith(alias) for alias in found.alias_paths) or page.alias_of_id:
        return None
    ids = [page_id for path, page_id in found.restricted.items() if page.path.startswith(path)]
    return PageViewRestriction.objects.filter(page_id__in=ids) if ids else PageViewRestriction.objects.none()
