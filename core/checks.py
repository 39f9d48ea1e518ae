"""System checks that make a broken install fail at once, loudly, instead of as a 500 on every page.

Tagged ``staticfiles``, so ``collectstatic`` runs them and stops (Django's own check only warns when a
``STATICFILES_DIRS`` folder is missing, and then collects a site whose pages cannot render their CSS).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def template_dirs() -> list[Path]:
    """Our own template folders: the project's and those of apps that live in this repository."""
    base = Path(settings.BASE_DIR)
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs() if Path(app.path).is_relative_to(base)]
    return [d for d in dirs if d.is_dir() and ".venv" not in d.parts and "node_modules" not in d.parts]


def linked_static_files() -> dict[str, Path]:
    """Every static path a template links with ``{% static '...' %}``, and the first template that does."""
    linked: dict[str, Path] = {}
    for folder in template_dirs():
        for template in sorted(folder.rglob("*.html")):
            for path in STATIC_TAG.findall(template.read_text(encoding="utf-8", errors="replace")):
                linked.setdefault(path, template)
    return linked


@checks.register(checks.Tags.staticfiles)
def check_static_sources(app_configs=None, **kwargs):
    from django.contrib.staticfiles import finders

    errors = []
    for entry in settings.STATICFILES_DIRS:
        prefix, folder = entry if isinstance(entry, tuple) else ("", entry)
        if not Path(folder).is_dir():
            errors.append(checks.Error(
                f"The static-files folder {folder} ({prefix or 'no prefix'}) does not exist.",
                hint="Install the front-end packages: `make install` (production) or `make setup` (npm ci).",
                id="samenlab.E001",
            ))
    for path, template in linked_static_files().items():
        if not finders.find(path):
            errors.append(checks.Error(
                f"{template.name} links the static file {path!r}, which no static-files finder has.",
                hint="Install the front-end packages (`npm ci`, part of `make install`) or fix the link.",
                obj=str(template),
                id="samenlab.E002",
            ))
    return errors


@checks.register(checks.Tags.translation, deploy=True)
def check_compiled_messages(app_configs=None, **kwargs):
    """Deploy check: every catalogue is compiled (else the site silently speaks its source strings)."""
    errors = []
    for folder in settings.LOCALE_PATHS:
        for po in Path(folder).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                errors.append(checks.Error(
                    f"{po} is not compiled, or changed after it was compiled.",
                    hint="Compile the translations: `make install` (or `make messages`).",
                    id="samenlab.E003",
                ))
    return errors
