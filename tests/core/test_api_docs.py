"""/api/docs/ comes from the site itself, under its Content-Security-Policy, with the page's language set."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_docs_load_nothing_from_elsewhere(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="nl">', html)
    assert not re.search(r'(src|href)="(https?:)?//', html), "no CDN, no font service"
    assert "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "<script>" not in html  # no inline script: it runs under script-src 'self'


def test_docs_run_under_the_csp_with_only_a_worker_added(client):
    csp = client.get("/api/docs/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "worker-src 'self' blob:" in csp
    assert "worker-src" not in client.get("/contact/")["Content-Security-Policy"]


def test_docs_assets_exist():
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert finders.find("js/api-docs.js")
