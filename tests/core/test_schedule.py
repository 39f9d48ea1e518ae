"""Every scheduled entry names a background task that exists (a typo would fail only at run time, silently)."""

import pytest
from django.utils.module_loading import import_string
from django_tasks.base import Task

from config.schedule import SCHEDULE


@pytest.mark.parametrize("entry", SCHEDULE, ids=[entry.task for entry in SCHEDULE])
def test_every_scheduled_task_exists(entry):
    assert isinstance(import_string(entry.task), Task)


@pytest.mark.django_db
def test_the_walk_reminder_task_runs():
    from maps.tasks import send_walk_reminders

    assert send_walk_reminders.call() == 0
