"""Template context every page needs, without a database query."""

from django.conf import settings


def samenlab(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "MUNICIPALITY": settings.SAMENLAB_MUNICIPALITY,
    }
