"""The kept journey templates: a list to plan from, renamed or removed by who made them and by staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.permissions import may, require
from lab.models import JourneyTemplate
from lab.workshops.services.journeys import remove_template, rename_template
from lab.workshops.services.workshops import PLANNERS_ONLY


@login_required
def templates(request):
    require(request.user, "lab.plan_workshop", None, PLANNERS_ONLY)
    rows = [{"template": template, "stages": len(template.data.get("stages", [])),
             "cards": len(template.data.get("cards", [])), "personas": len(template.data.get("personas", [])),
             "can_change": may(request.user, "lab.change_template", template)}
            for template in JourneyTemplate.objects.select_related("created_by").order_by("title", "pk")]
    return render(request, "lab/workshops/templates.html", {"rows": rows})


def _template_for(request, pk: int) -> JourneyTemplate:
    require(request.user, "lab.plan_workshop", None, PLANNERS_ONLY)
    return get_object_or_404(JourneyTemplate, pk=pk)


@require_POST
@login_required
def rename(request, pk: int):
    template = _template_for(request, pk)
    try:
        rename_template(actor=request.user, template=template, title=request.POST.get("title", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Het sjabloon heet nu “%(title)s”.") % {"title": template.title})
    return redirect("lab:templates")


@require_POST
@login_required
def remove(request, pk: int):
    template = _template_for(request, pk)
    title = template.title
    remove_template(actor=request.user, template=template)
    messages.success(request, _("Het sjabloon “%(title)s” is weggehaald.") % {"title": title})
    return redirect("lab:templates")
