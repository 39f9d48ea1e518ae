"""Wagtail's page signals empty the shared page cache (``core.pagecache``): pages show each other."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.pagecache import invalidate_pages


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    invalidate_pages()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_pages()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, **kwargs):
    # Who may see a page changed: cached pages and the page map (cms.routing) must not outlive it.
    invalidate_pages()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, **kwargs):
    # Which site answers for a host, and its root page, are kept per generation (cms.routing.find_site).
    # After commit: a request that read the new generation before the commit could keep the old site.
    transaction.on_commit(invalidate_pages, robust=True)
