"""The reconciliation of one box: the register (who voted, by which channel) beside the ballots, with the paper
sheets and letter codes that explain the difference; and the register as CSV. Never how anyone voted, and
never when: a day next to a name could be matched with a ballot's day."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.documents import safe_cell
from voting.models import Channel, PaperSheet
from voting.selectors.hall import register_numbers, register_rows
from voting.views.hall._common import REGISTER_ONLY, box_or_404, need

PAGE_SIZE = 100
CSV_CHUNK = 2000


def who(turnout) -> tuple[str, str]:
    """(name, address) of a register row: the account holder's name, or the letter's addressee and address."""
    if turnout.code_id is not None:
        code = turnout.code
        return code.addressee, f"{code.street}, {code.postcode} {code.town}"
    if turnout.voter is None:
        return _("Verwijderd account"), ""
    return turnout.voter.display_name, ""


@never_cache
@login_required
@require_GET
def register(request, box: int):
    box = box_or_404(box)
    need(request.user, "voting.view_register", box, REGISTER_ONLY)
    numbers = register_numbers(box)
    page = Paginator(register_rows(box), PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [(*who(turnout), turnout) for turnout in page.object_list]
    channels = [(label, numbers.channels.get(value, 0)) for value, label in Channel.choices]
    sheets = [(label, numbers.sheets.get(value, 0)) for value, label in PaperSheet.State.choices]
    return render(request, "voting/hall/register.html", {
        "box": box, "numbers": numbers, "channels": channels, "sheets": sheets, "page": page, "rows": rows})


class _Echo:
    def write(self, value):
        return value


@never_cache
@login_required
@require_GET
def register_csv(request, box: int):
    """The register as CSV (name, address, channel, helped by): for checking, not for counting."""
    box = box_or_404(box)
    need(request.user, "voting.view_register", box, REGISTER_ONLY)
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # spreadsheets read UTF-8 with this mark
        yield writer.writerow([_("naam"), _("adres"), _("kanaal"), _("geholpen door")])
        for turnout in register_rows(box).iterator(chunk_size=CSV_CHUNK):
            name, address = who(turnout)
            helper = turnout.registered_by.display_name if turnout.registered_by_id else ""
            yield writer.writerow([safe_cell(name), safe_cell(address), turnout.get_channel_display(),
                                   safe_cell(helper)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="register-{box.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
