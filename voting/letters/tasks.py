"""Background work for letters (django-tasks: the database queue by default, at once in tests)."""

from django_tasks import task


@task()
def make_letters_task(*, box_id: int, key: str) -> int:
    """Issue the codes of an uploaded list and print their letters (``voting.letters.batches.make_letters``)."""
    from voting.letters.batches import make_letters

    return make_letters(box_id=box_id, key=key)


@task()
def delete_expired_letters() -> int:
    """Remove letters nobody downloaded within 24 hours. Meant for the schedule (hourly); safe to run twice."""
    from voting.letters.batches import delete_expired_letters as delete

    return delete()
