"""A minimal published page tree (home → kernen → one kern) for tests that render Wagtail pages."""

from wagtail.models import Page, Site

from cms.models import HomePage, KernIndexPage, KernPage


def build_home() -> HomePage:
    home = HomePage(title="Samen maken we Molenlanden", slug="samenlab", intro="Doe mee.")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost",
                                                                  "port": 80})
    return home


def build_kern_page(kern, home: HomePage | None = None) -> KernPage:
    """``/kernen/<kern.slug>/`` for ``kern``."""
    home = home or build_home()
    index = KernIndexPage(title="Kernen", slug="kernen")
    home.add_child(instance=index)
    page = KernPage(title=kern.name, slug=kern.slug, kern=kern)
    index.add_child(instance=page)
    return page
