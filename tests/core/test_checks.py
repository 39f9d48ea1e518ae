"""collectstatic fails loudly when a front-end package or a linked asset is missing."""

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import check_static_sources, linked_static_files


def ids(errors):
    return [error.id for error in errors]


def test_the_installed_site_passes():
    assert check_static_sources() == []
    assert "vendor/leaflet/leaflet.js" in linked_static_files()


def test_a_missing_front_end_package_is_an_error(settings, tmp_path):
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("vendor/gone", tmp_path / "not-installed")]
    assert "samenlab.E001" in ids(check_static_sources())


def test_a_template_linking_a_missing_file_is_an_error(settings, tmp_path):
    (tmp_path / "broken.html").write_text("{% load static %}<script src=\"{% static 'vendor/nope/nope.js' %}\">")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    errors = check_static_sources()
    assert ids(errors) == ["samenlab.E002"] and "vendor/nope/nope.js" in errors[0].msg


def test_collectstatic_stops_on_a_missing_package(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("vendor/gone", tmp_path / "not-installed")]
    with pytest.raises(SystemCheckError, match="samenlab.E001"):
        call_command("collectstatic", "--noinput", verbosity=0, skip_checks=False)
    assert not (tmp_path / "static").exists()


