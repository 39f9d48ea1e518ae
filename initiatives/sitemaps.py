"""Published initiatives for the sitemap (only public states; drafts and submitted ones never appear).

Wire it in config/urls.py by passing ``sitemaps={"initiatives": InitiativeSitemap, ...}`` together with
Wagtail's own ``wagtail.contrib.sitemaps.Sitemap`` to the sitemap view.
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
