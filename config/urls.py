from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from community import views as community_views
from config import views as config_views
from config.api_docs import ApiDocsView, api_not_found
from core import views as core_views
from initiatives.sitemaps import InitiativeSitemap

# Wagtail's pages and every published participation object, in one sitemap.
SITEMAPS = {"pages": WagtailSitemap, "initiatives": InitiativeSitemap}

api_v1 = [
    path("", include("live.api")),
    path("", include("discussion.api")),
    path("", include("initiatives.api")),
    path("", include("maps.api")),
    path("", include("lab.workshops.api")),
    path("", include("voting.api")),
]

urlpatterns = [
    path("healthz/", config_views.healthz, name="healthz"),
    path("bench/bare/", config_views.bare, name="bench_bare"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/signup/", community_views.signup, name="account_signup"),  # allauth's, throttled
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", community_views.set_language, name="set_language"),
    path("zoeken/", cms_views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other /api/ path answers the API's JSON 404, not the site's HTML page.
    re_path(r"^api/", api_not_found),
    path("gesprek/", include("discussion.urls")),
    path("initiatieven/", include("initiatives.urls")),
    path("", include("maps.urls")),
    path("", include("lab.urls")),
    path("", include("voting.urls")),
    path("", include("community.urls")),
]

# Uploaded files, in every mode, only to those who may see their object (core.files; README "Uploaded files").
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.serve_upload, name="serve_upload")]

# Wagtail serves every other path from the page tree: keep it last.
urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", cms_views.serve, name="wagtail_serve"),  # Wagtail's own pattern
    path("", include(wagtail_urls)),
]

# Error pages in the site's design (core/views.py); the 500 page needs no database.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
# A lock or pool time-out that Django turned into a 500 inside a middleware still answers 503 + Retry-After;
# every other 500 gets the error page of core.views.
handler500 = "core.middleware.server_error"
