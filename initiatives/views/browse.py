from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from core.pagecache import anonymous_cache, shared_fragment
from initiatives import selectors, services, web_selectors
from initiatives.forms import DecisionForm, FilterForm, MeetingDateForm, OutcomeForm, PledgeForm, UpdateForm
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
    # The pagination links keep the filters, and only those (they may be kept for everyone, below).
    query = QueryDict(mutable=True)
    query.update({name: request.GET[name] for name in FilterForm.base_fields if request.GET.get(name)})
    choice = {"kern": data.get("kern"), "theme": data.get("theme") or None, "status": data.get("status") or None,
              "sort": data.get("sort") or "newest", "query": (data.get("q") or "").strip()}

    def results() -> str:
        queryset = web_selectors.cards_to_show(user=request.user, **choice)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
        return render_to_string("initiatives/includes/list_results.html", {
            "page": page, "initiatives": page.object_list, "extra": query.urlencode()}, request=request)

    # What everyone sees is kept, per filter choice and page number (not per free text: the keys stay few);
    # who may see more (a draft, what waits for their council) gets their own.
    number = request.GET.get("pagina", "")
    kept = not choice["query"] and not selectors.sees_more_than_everyone(user=request.user)
    return render(request, "initiatives/list.html", {
        "form": form, "kern": choice["kern"],
        "results": shared_fragment(
            "initiative-list", getattr(choice["kern"], "pk", None), choice["theme"], choice["status"],
            choice["sort"], number if number.isdigit() and len(number) <= 4 else "", render=results,
        ) if kept else results(),
    })


@anonymous_cache()
def detail(request, pk: int):
    initiative = visible_or_404(request.user, pk, read=selectors.shown_initiative)
    user = request.user
    can = {perm: may(user, f"initiatives.{perm}", initiative) for perm in (
        "change_initiative", "submit_initiative", "view_audit_trail", "moderate_initiative",
        "request_reconsideration", "post_update", "support_initiative", "follow_initiative", "add_pledge",
        "invite_co_initiators", "manage_team", "handle_agenda_item",
    )}
    my_pledges = list(selectors.active_pledges(user=user, initiative=initiative)) if user.is_authenticated else []
    context = {
        "initiative": initiative,
        "can": can,
        "story": shared_fragment("initiative-story", initiative.pk, render=lambda: _story(initiative)),
        "progress": selectors.funding_progress(initiative),
        "summary": initiative.pledge_summary,  # kept with it
        "events": selectors.audit_trail(initiative) if can["view_audit_trail"] else None,
        "pledge_form": PledgeForm(money_allowed=initiative.status == Status.FUNDING) if can["add_pledge"] else None,
        "decision_form": DecisionForm() if can["moderate_initiative"] else None,
        "update_form": UpdateForm() if can["post_update"] else None,
        # The council's agenda, for everyone: on it (date, decision), or the support still needed to get there.
        "council": selectors.council_progress(initiative) if initiative.is_public else None,
        "my_pledges": my_pledges,
        "follows": initiative.viewer_follows, "supports": initiative.viewer_supports,  # read with it
    }
    if can["handle_agenda_item"]:
        item = initiative.agenda_item
        context["date_form"] = MeetingDateForm(prefix_pk=initiative.pk, initial={"meeting_date": item.meeting_date})
        context["outcome_form"] = OutcomeForm(prefix_pk=initiative.pk)
    if can["invite_co_initiators"]:
        token = services.invitation_token(actor=user, initiative=initiative)
        context["invitation_url"] = request.build_absolute_uri(reverse("initiatives:join", args=[token]))
    return render(request, "initiatives/detail.html", context)


def _story(initiative) -> str:
    """Photos, story, result, place and news: the same for everyone who may see the initiative, so kept for the
    page generation (every service that changes them starts a new one after its commit)."""
    photos = initiative.photos.filter(kind=InitiativePhoto.Kind.MAIN)
    return render_to_string("initiatives/includes/story.html", {
        "initiative": initiative, "photos": [(p, srcset(p)) for p in photos],
        "updates": selectors.updates(initiative),
    })


@login_required
def my_initiatives(request):
    return render(request, "initiatives/mine.html", {
        "initiatives": selectors.my_initiatives(user=request.user),
        "pledges": selectors.my_pledges(user=request.user)[:50],
    })
