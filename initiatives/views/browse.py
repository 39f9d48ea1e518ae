from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from core.pagecache import anonymous_cache
from initiatives import selectors, services, web_selectors
from initiatives.forms import DecisionForm, FilterForm, PledgeForm, UpdateForm
from initiatives.images import srcset
from initiatives.models import InitiativePhoto, Status
from initiatives.views._common import may, visible_or_404

PAGE_SIZE = 12


# Anonymous visitors get these from the page cache; every initiative service empties it after commit.
@anonymous_cache(query_parameters={"kern", "theme", "status", "sort", "pagina"})
def initiative_list(request):
    """All kernen (or one, ``?kern=slug``), filtered, sorted and paginated; same query count for any number."""
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = web_selectors.list_page_queryset(
        user=request.user, kern=data.get("kern"), theme=data.get("theme"), status=data.get("status"),
        sort=data.get("sort") or "newest", query=(data.get("q") or "").strip(),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    kern = data.get("kern")
    return render(request, "initiatives/list.html", {
        "form": form, "page": page, "initiatives": page.object_list, "kern": kern,
        "extra": query.urlencode(),
    })


@anonymous_cache()
def detail(request, pk: int):
    initiative = visible_or_404(request.user, pk)
    user = request.user
    can = {perm: may(user, f"initiatives.{perm}", initiative) for perm in (
        "change_initiative", "submit_initiative", "view_audit_trail", "moderate_initiative",
        "request_reconsideration", "post_update", "support_initiative", "follow_initiative", "add_pledge",
        "invite_co_initiators", "manage_team",
    )}
    photos = [p for p in initiative.photos.all() if p.kind == InitiativePhoto.Kind.MAIN]
    result_photos = [p for p in initiative.photos.all() if p.kind == InitiativePhoto.Kind.RESULT]
    my_pledges = []
    if user.is_authenticated:
        my_pledges = [p for p in selectors.my_pledges(user=user).filter(initiative=initiative)
                      if p.status == "active"]
    context = {
        "initiative": initiative,
        "can": can,
        "photos": [(p, srcset(p)) for p in photos],
        "result_photos": [(p, srcset(p)) for p in result_photos],
        "progress": selectors.funding_progress(initiative),
        "summary": selectors.pledge_summary(initiative) if initiative.is_public else None,
        "updates": selectors.updates(initiative),
        "events": selectors.audit_trail(initiative) if can["view_audit_trail"] else None,
        "pledge_form": PledgeForm(money_allowed=initiative.status == Status.FUNDING) if can["add_pledge"] else None,
        "decision_form": DecisionForm() if can["moderate_initiative"] else None,
        "update_form": UpdateForm() if can["post_update"] else None,
        "my_pledges": my_pledges,
        **web_selectors.viewer_state(user=user, initiative=initiative),
    }
    if can["invite_co_initiators"]:
        token = services.invitation_token(actor=user, initiative=initiative)
        context["invitation_url"] = request.build_absolute_uri(reverse("initiatives:join", args=[token]))
    return render(request, "initiatives/detail.html", context)


@login_required
def my_initiatives(request):
    return render(request, "initiatives/mine.html", {
        "initiatives": selectors.my_initiatives(user=request.user),
        "pledges": selectors.my_pledges(user=request.user)[:50],
    })
