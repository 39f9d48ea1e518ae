"""API plumbing shared by every app's ``api.py``."""


def only_samenlab_api(endpoints):
    """drf-spectacular preprocessing hook: document our ``/api/v1/`` only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
