"""My data across the apps: initiatives and discussions are in the export, and erasure forgets the person
while what neighbours share stays readable."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from community.models import User
from community.privacy import erase_account
from discussion import services as discussion
from discussion.models import Comment, Flag, Reaction, Thread
from initiatives import services
from initiatives.models import Follow, Initiative, MatchFund, Pledge, Status, Support
from live.models import LiveEvent
from tests import factories
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def life(kern):
    """Noor's life on Samenlab: an initiative, a draft, a team place, a pledge with matching, words."""
    noor = factories.UserFactory(kern=kern, first_name="Noor", last_name="Visser")
    neighbour = factories.UserFactory(kern=kern, first_name="Bram")
    public = InitiativeFactory(kern=kern, initiator=noor, status=Status.PUBLISHED, title="Bankjes aan de dijk")
    draft = InitiativeFactory(kern=kern, initiator=noor, status=Status.DRAFT, title="Mijn geheime plan")
    discussion.post_comment(thread=discussion.get_or_create_thread(target=draft), author=noor, body="Notitie")
    shared = InitiativeFactory(kern=kern, initiator=neighbour, status=Status.DRAFT, title="Samen met Bram")
    shared.co_initiators.add(noor)
    funding = InitiativeFactory(kern=kern, initiator=neighbour, status=Status.FUNDING, goal=Decimal("500.00"),
                                title="Speeltuin")
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"), balance=Decimal("100.00"))
    services.pledge(pledger=noor, initiative=funding, kind="money", amount="40", idempotency_key="n1",
                    message="Voor de kinderen van Noor")
    services.support(user=noor, initiative=funding)
    thread = discussion.get_or_create_thread(target=funding)
    comment = discussion.post_comment(thread=thread, author=noor, body="Ik help zaterdag mee")
    bram_comment = discussion.post_comment(thread=thread, author=neighbour, body="Fijn!")
    discussion.toggle_reaction(user=noor, comment=bram_comment, kind="dank")
    discussion.flag_comment(reporter=noor, comment=bram_comment, reason="Test van een melding")
    return {"noor": noor, "public": public, "draft": draft, "shared": shared, "funding": funding, "fund": fund,
            "comment": comment}


def test_the_export_holds_initiatives_pledges_and_words(client, life):
    client.force_login(life["noor"])
    data = json.loads(client.get(reverse("community:export_my_data")).content)
    assert {i["title"]: i["role"] for i in data["initiatives"]["initiatives"]} == {
        "Bankjes aan de dijk": "initiator", "Mijn geheime plan": "initiator", "Samen met Bram": "co-initiator"}
    assert data["initiatives"]["pledges"][0]["amount"] == "40.00"
    assert data["initiatives"]["supports"][0]["initiative"] == "Speeltuin"
    assert [c["text"] for c in data["discussion"]["comments"]] == ["Notitie", "Ik help zaterdag mee"]
    assert data["discussion"]["reactions"][0]["kind"] == "dank"
    assert data["discussion"]["flags"][0]["reason"] == "Test van een melding"
    assert "Fijn!" not in json.dumps(data["discussion"])  # Bram's words are Bram's


def test_erasure_forgets_noor_and_keeps_what_neighbours_share(life, django_capture_on_commit_callbacks):
    noor, fund = life["noor"], life["fund"]
    assert MatchFund.objects.get(pk=fund.pk).balance == Decimal("60.00")
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=noor)
    gone = User.objects.get(pk=noor.pk)
    assert gone.display_name == "Voormalig deelnemer" and not gone.is_active

    pledge = Pledge.objects.get(pledger=gone)
    assert (pledge.status, pledge.message) == (Pledge.Status.CANCELLED, "")
    assert MatchFund.objects.get(pk=fund.pk).balance == Decimal("100.00")  # the matching went back
    assert not Support.objects.filter(user=gone).exists() and not Follow.objects.filter(user=gone).exists()
    assert not Initiative.objects.filter(pk=life["draft"].pk).exists()  # her own draft
    assert Initiative.objects.filter(pk=life["public"].pk).exists()  # public: stays, without her name
    assert not life["shared"].co_initiators.filter(pk=gone.pk).exists()
    assert Comment.objects.get(pk=life["comment"].pk).author.display_name == "Voormalig deelnemer"
    assert not Reaction.objects.filter(user=gone).exists()
    assert Flag.objects.filter(reporter=gone).exists()  # moderators still need the report
    # A reconnecting client replays stored events: they no longer carry her name either.
    replayed = LiveEvent.objects.filter(stream=f"thread.{life['comment'].thread_id}", type="comment.created")
    authors = {event.payload["author"] for event in replayed}
    assert "Noor Visser" not in authors and "Voormalig deelnemer" in authors
    # Her own draft went, and its conversation with it.
    assert not Thread.objects.filter(object_id=life["draft"].pk, content_type__model="initiative").exists()


def test_an_erased_author_shows_as_former_participant_on_the_page(client, life):
    erase_account(user=life["noor"])
    html = client.get(life["public"].get_absolute_url()).content.decode()
    assert "Voormalig deelnemer" in html and "Noor" not in html


def test_the_export_costs_the_same_queries_for_2_or_20_comments(life, django_assert_max_num_queries):
    from community.privacy import export_all

    noor = life["noor"]
    with django_assert_max_num_queries(40) as few:
        export_all(noor)
    thread = discussion.get_or_create_thread(target=life["public"])
    Comment.objects.bulk_create([Comment(thread=thread, author=noor, body=f"Nog een {n}",
                                         body_html=f"<p>Nog een {n}</p>") for n in range(18)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        export_all(noor)
