"""Wagtail's page signals empty the shared page cache (``core.pagecache``): pages show each other."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
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
