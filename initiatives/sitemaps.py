"""Published initiatives for the sitemap (only public states; drafts and submitted ones never appear).

Served beside Wagtail's pages at /sitemap.xml (see ``config.urls.SITEMAPS``).
"""

from django.contrib.sitemaps import Sitemap

from initiatives.models import Initiative


class InitiativeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Initiative.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
