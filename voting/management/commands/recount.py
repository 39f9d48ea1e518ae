"""Recount a published vote from its anonymised ballots with the published seed, and compare.

    python manage.py recount kernbudget-arkel-2026     # a budget, by its slug
    python manage.py recount 12                        # any ballot box (poll or budget), by its number

Prints the published result and the recount side by side; exits with 1 when they differ (or when the vote has
no published result), so that a scheduled check can raise the alarm.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from voting.models import BallotBox, Budget
from voting.recounts import compare


def _side(side, budget: bool) -> str:
    if side is None:
        return "-"
    if budget:
        return f"{'funded' if side.chosen else 'not funded'}, {side.votes} votes"
    return f"{side.votes} votes"


class Command(BaseCommand):
    help = "Recount a published vote (a budget's slug or a ballot box's number) and compare it with the result."

    def add_arguments(self, parser):
        parser.add_argument("vote", help="The budget's slug, or the number of the ballot box.")

    def handle(self, *args, vote: str, **options):
        box = self._box(vote)
        if box.result_published_at is None:
            raise CommandError(f"Ballot box {box.pk} has no published result to recount.", returncode=1)
        is_budget = isinstance(box.subject, Budget)
        with translation.override("en"):
            comparison = compare(box)
            self.stdout.write(f"{box.subject} (ballot box {box.pk})")
            self.stdout.write(f"Published on {box.result_published_at:%Y-%m-%d %H:%M}, seed {comparison.seed}")
            self.stdout.write(f"Ballots: {comparison.ballots_published} published, "
                              f"{comparison.ballots_recounted} recounted")
            width = max((len(row.label) for row in comparison.rows), default=10) + 8
            self.stdout.write(f"{'':{width}}  {'published':28}  recount")
            for row in comparison.rows:
                mark = "" if row.same else "   <-- differs"
                self.stdout.write(f"{row.key + ' ' + row.label:{width}}  {_side(row.published, is_budget):28}"
                                  f"  {_side(row.recounted, is_budget)}{mark}")
        if comparison.problem:
            self.stdout.write(f"The ballots cannot be counted: {comparison.problem}")
        if not comparison.same:
            raise CommandError("The recount DIFFERS from the published result.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The recount gives the same result."))

    def _box(self, vote: str) -> BallotBox:
        boxes = BallotBox.objects.select_related("poll", "budget", "kern")
        found = boxes.filter(pk=int(vote)).first() if vote.isdigit() else boxes.filter(budget__slug=vote).first()
        if found is None:
            raise CommandError(f"No budget or ballot box {vote!r}.", returncode=1)
        return found
