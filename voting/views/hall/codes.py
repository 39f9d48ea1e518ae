"""Letter codes of one box: upload the address list (codes and letters are made at once), find a code by postcode,
revoke it or send a new letter, the log; and the letters, downloaded once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from voting.forms.hall import AddressListForm, PostcodeSearchForm, ReasonForm
from voting.letters.batches import batch_of, batches_of, reissue_letter, start_letters, take_letters
from voting.models import VotingCode
from voting.selectors.hall import code_log, codes_of, postcode_of
from voting.services._common import VotingError
from voting.services.codes import revoke_code
from voting.views.hall._common import CODES_ONLY, box_or_404, code_page_url, message_of, need

PAGE_SIZE = 50


def _codes_url(box, postcode: str = "") -> str:
    url = reverse("voting:codes", args=[box.pk])
    return f"{url}?postcode={postcode}" if postcode else url


@login_required
@require_http_methods(["GET", "POST"])
def codes(request, box: int):
    box = box_or_404(box)
    need(request.user, "voting.manage_codes", box, CODES_ONLY)
    upload = AddressListForm(request.POST, request.FILES) if request.method == "POST" else AddressListForm()
    if request.method == "POST" and upload.is_valid():
        try:
            batch = start_letters(actor=request.user, box=box, addressees=upload.cleaned_data["addresses"],
                                  code_url=code_page_url(request))
        except (VotingError, PermissionDenied) as error:
            upload.add_error(None, message_of(error))
        else:
            messages.success(request, _("De lijst is gelezen: %(n)s adressen. De codes en brieven worden nu "
                                        "gemaakt.") % {"n": batch.total})
            return redirect("voting:letters", box=box.pk, key=batch.key)
    search = PostcodeSearchForm(request.GET or None)
    typed = (request.GET.get("postcode") or "").strip()
    postcode = postcode_of(typed)
    if typed and postcode is None and search.is_valid():
        search.add_error("postcode", _("Dit is geen postcode. Een postcode is vier cijfers en twee letters."))
    page = Paginator(codes_of(box, postcode=postcode), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "voting/hall/codes.html", {
        "box": box, "upload": upload, "search": search, "postcode": postcode or "", "page": page,
        "extra": f"postcode={postcode}" if postcode else "", "log": code_log(box), "batches": batches_of(box)},
        status=400 if upload.errors else 200)


def _code_or_404(box, pk: int) -> VotingCode:
    code = VotingCode.objects.filter(box=box, pk=pk).first()
    if code is None:
        raise Http404
    code.box = box  # read with its poll or budget
    return code


@login_required
@require_POST
def revoke(request, box: int, code: int):
    box = box_or_404(box)
    need(request.user, "voting.manage_codes", box, CODES_ONLY)
    found = _code_or_404(box, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf kort op waarom de code wordt ingetrokken."))
    else:
        try:
            revoke_code(actor=request.user, code=found, reason=form.cleaned_data["reason"])
        except (VotingError, PermissionDenied) as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, _("De code van %(name)s is ingetrokken. Er kan niet meer mee worden gestemd.")
                             % {"name": found.addressee})
    return redirect(_codes_url(box, found.postcode))


@login_required
@require_POST
def reissue(request, box: int, code: int):
    box = box_or_404(box)
    need(request.user, "voting.manage_codes", box, CODES_ONLY)
    found = _code_or_404(box, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf kort op waarom er een nieuwe code komt."))
        return redirect(_codes_url(box, found.postcode))
    try:
        batch = reissue_letter(actor=request.user, code=found, reason=form.cleaned_data["reason"],
                               code_url=code_page_url(request))
    except (VotingError, PermissionDenied) as error:
        messages.error(request, message_of(error))
        return redirect(_codes_url(box, found.postcode))
    messages.success(request, _("De oude code van %(name)s is ingetrokken. De brief met de nieuwe code staat klaar.")
                     % {"name": found.addressee})
    return redirect("voting:letters", box=box.pk, key=batch.key)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def letters(request, box: int, key: str):
    """GET: how far the letters are. POST: download them, once."""
    box = box_or_404(box)
    need(request.user, "voting.manage_codes", box, CODES_ONLY)
    if request.method == "POST":
        try:
            download = take_letters(actor=request.user, box=box, key=key)
        except VotingError as error:
            messages.error(request, message_of(error))
            return redirect("voting:letters", box=box.pk, key=key)
        response = StreamingHttpResponse(download.chunks, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        response["Content-Length"] = str(download.size)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    batch = batch_of(box, key)
    return render(request, "voting/hall/letters.html", {"box": box, "batch": batch, "key": key},
                  status=200 if batch is not None else 404)


@never_cache
@login_required
@require_GET
def letters_status(request, box: int, key: str):
    """How far the letters are, for the page's script: ``state``, ``done``, ``total``, ``percent``."""
    box = box_or_404(box)
    need(request.user, "voting.manage_codes", box, CODES_ONLY)
    batch = batch_of(box, key)
    if batch is None:
        return JsonResponse({"state": "gone"}, status=404)
    return JsonResponse(batch.as_json())
