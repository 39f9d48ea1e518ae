"""Shared fixtures: factories as fixtures, the role cast, real services (PostgreSQL, Redis, an ASGI server).

A test that needs a service that is not there is skipped locally with a message saying how to get it;
with CI=true it fails instead, so nothing is silently skipped in CI.
"""

import os

import pytest

from tests import factories
from tests.services import require_service  # noqa: F401  (re-exported for tests)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _dutch_again():
    """Each test starts in Dutch: a request in English leaves English active in the thread it ran in."""
    from django.utils import translation

    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test kept (a count, a page) never leaks into the next,
    where the same ids are handed out again."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def kern(db):
    return factories.KernFactory(name="Arkel", slug="arkel")


@pytest.fixture
def other_kern(db):
    return factories.KernFactory(name="Kinderdijk", slug="kinderdijk")


@pytest.fixture
def resident(kern):
    return factories.UserFactory(kern=kern, first_name="Jan")


@pytest.fixture
def verified_resident(kern):
    return factories.VerifiedResidentFactory(kern=kern)


@pytest.fixture
def council_member(kern):
    return factories.CouncilMembershipFactory(kern=kern).user


@pytest.fixture
def other_council_member(other_kern):
    return factories.CouncilMembershipFactory(kern=other_kern).user


@pytest.fixture
def staff(db):
    return factories.StaffFactory()


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def cast(kern, other_kern):
    """The shared role cast (tests/roles.py): every permission grid uses this one."""
    from tests.roles import build_cast

    return build_cast(kern, other_kern)


@pytest.fixture
def is_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
