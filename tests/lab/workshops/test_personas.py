"""The personas of a workshop: the services add, change and remove them with a clean photo and leave no file
behind; the personas page answers only who may change the workshop, shows bad input on the page and changes
nothing; the photo is on the public page, with its description, in a fixed number of queries."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from initiatives.images import process_image
from lab.files import PERSONA_PREFIX
from lab.models import Persona, WorkshopState
from lab.workshops import services
from lab.workshops.services import WorkshopError
from lab.workshops.services.personas import MAX_PERSONAS
from tests import factories
from tests.factories_workshops import WorkshopFactory
from tests.lab.workshops.conftest import in_group, plan
from tests.photos import gps_tagged_jpeg, jpeg_bytes
from tests.roles import fresh

pytestmark = pytest.mark.django_db


def stored_folders() -> list[str]:
    return sorted(default_storage.listdir(PERSONA_PREFIX)[0]) if default_storage.exists(PERSONA_PREFIX) else []


def add(actor, workshop, name="Henk, 71", *, photo=True, alt="Een tekening van Henk", **texts):
    return services.add_persona(actor=actor, workshop=workshop, name=name,
                                situation=texts.pop("situation", "Verhuist naar Nieuw-Lekkerland."),
                                needs=texts.pop("needs", "Hulp bij het formulier."),
                                image=process_image(gps_tagged_jpeg()) if photo is True else photo, photo_alt=alt)


def signed_in(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def upload(content: bytes, name: str = "henk.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def page_url(workshop) -> str:
    return reverse("lab:personas", args=[workshop.pk])


def change_url(persona) -> str:
    return reverse("lab:change_persona", args=[persona.workshop_id, persona.pk])


def remove_url(persona) -> str:
    return reverse("lab:remove_persona", args=[persona.workshop_id, persona.pk])


def served(client, url: str):
    answer = client.get(url)
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer, body


# --- the services ---------------------------------------------------------------------------------------------

def test_a_persona_is_added_with_a_clean_photo_in_every_size(planned, lead):
    persona = add(lead, planned)
    assert persona.has_photo and persona.photo_alt == "Een tekening van Henk" and persona.order == 0
    for name in persona.photo_names():
        assert name.startswith(f"{PERSONA_PREFIX}/{persona.photo_key}/")
        with default_storage.open(name) as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert not image.getexif() and "exif" not in image.info
    second = add(lead, planned, "Samira, 34", photo=None, alt="")
    assert second.order == 1 and not second.has_photo
    assert stored_folders() == [persona.photo_key]


def test_a_new_photo_replaces_the_old_one_whose_files_go_after_the_commit(planned, lead,
                                                                            django_capture_on_commit_callbacks):
    persona = add(lead, planned)
    old_names = persona.photo_names()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed = services.change_persona(actor=lead, persona=persona, name="Henk", situation="Woont nu alleen.",
                                          image=process_image(jpeg_bytes((640, 480))), photo_alt="Henk met zijn hond")
        # Until the commit the old photo is still there: a rolled-back change would have kept it.
        assert all(default_storage.exists(name) for name in old_names)
    for callback in callbacks:
        callback()
    assert changed.photo_key != persona.photo_key and changed.photo_alt == "Henk met zijn hond"
    assert not any(default_storage.exists(name) for name in old_names)
    assert stored_folders() == [changed.photo_key]
    changed.refresh_from_db()
    assert changed.name == "Henk" and changed.situation == "Woont nu alleen."


def test_a_description_alone_changes_and_none_sent_keeps_it(planned, lead):
    persona = add(lead, planned)
    services.change_persona(actor=lead, persona=persona, name=persona.name, situation=persona.situation,
                            photo_alt="Henk in zijn tuin")
    persona.refresh_from_db()
    assert persona.photo_alt == "Henk in zijn tuin"
    services.change_persona(actor=lead, persona=persona, name=persona.name, situation=persona.situation)
    persona.refresh_from_db()
    assert persona.photo_alt == "Henk in zijn tuin" and stored_folders() == [persona.photo_key]


def test_removing_the_photo_or_the_persona_removes_its_files(planned, lead, django_capture_on_commit_callbacks):
    persona = add(lead, planned)
    names = persona.photo_names()
    with django_capture_on_commit_callbacks(execute=True):
        bare = services.change_persona(actor=lead, persona=persona, name=persona.name, situation=persona.situation,
                                       remove_photo=True)
    assert not bare.has_photo and bare.photo_alt == "" and stored_folders() == []
    assert not any(default_storage.exists(name) for name in names)
    second = add(lead, planned, "Samira")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_persona(actor=lead, persona=second)
    assert not Persona.objects.filter(pk=second.pk).exists() and stored_folders() == []


def test_an_add_that_fails_after_the_files_were_written_leaves_none(planned, lead, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Persona, "save", broken)
    with pytest.raises(RuntimeError):
        add(lead, planned)
    assert stored_folders() == [] and not Persona.objects.exists()


def test_a_change_that_fails_after_the_new_files_were_written_keeps_the_old_photo_only(planned, lead, monkeypatch):
    persona = add(lead, planned)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Persona, "save", broken)
    with pytest.raises(RuntimeError):
        services.change_persona(actor=lead, persona=persona, name="Anders", situation=persona.situation,
                                image=process_image(jpeg_bytes()))
    persona.refresh_from_db()
    assert persona.name == "Henk, 71" and stored_folders() == [persona.photo_key]
    assert all(default_storage.exists(name) for name in persona.photo_names())


def test_a_workshop_has_at_most_twelve_personas_and_the_thirteenth_leaves_no_file(planned, lead):
    for n in range(MAX_PERSONAS):
        add(lead, planned, f"Persona {n}", photo=None)
    with pytest.raises(WorkshopError) as refused:
        add(lead, planned, "Nummer dertien")
    assert refused.value.code == "too_many"
    assert Persona.objects.filter(workshop=planned).count() == MAX_PERSONAS and stored_folders() == []


def test_html_is_kept_as_plain_text(planned, lead):
    persona = add(lead, planned, '<script>alert(1)</script>Henk <b>71</b>', situation='<img src=x onerror="x()">Alleen',
                  needs="<a href='javascript:x()'>Hulp</a>", alt='<svg onload="x()">Henk</svg>')
    persona.refresh_from_db()
    for text in (persona.name, persona.situation, persona.needs, persona.photo_alt):
        assert "<" not in text and "javascript" not in text and "onerror" not in text
    assert "Henk" in persona.name and "Alleen" in persona.situation and "Hulp" in persona.needs


@pytest.mark.parametrize("field, value", [("name", "x" * 61), ("situation", "x" * 1001), ("needs", "x" * 1001),
                                          ("alt", "x" * 251), ("name", "<b></b>"), ("situation", "  ")])
def test_too_long_or_empty_texts_are_refused_and_nothing_changes(planned, lead, field, value):
    persona = add(lead, planned)
    before = list(Persona.objects.values())
    texts = {"name": "Henk", "situation": "Alleen", "needs": "", "alt": "Henk", field: value}
    with pytest.raises(WorkshopError):
        add(lead, planned, texts["name"], situation=texts["situation"], needs=texts["needs"], alt=texts["alt"])
    with pytest.raises(WorkshopError):
        services.change_persona(actor=lead, persona=persona, name=texts["name"], situation=texts["situation"],
                                needs=texts["needs"], photo_alt=texts["alt"], image=process_image(jpeg_bytes()))
    assert list(Persona.objects.values()) == before and stored_folders() == [persona.photo_key]


def test_who_may_not_change_the_workshop_is_refused_before_any_file_is_written(planned, lead, resident):
    with pytest.raises(PermissionDenied):
        add(resident, planned)
    assert not default_storage.exists(PERSONA_PREFIX) and not Persona.objects.exists()
    persona = add(lead, planned, photo=None)
    services.end_workshop(actor=lead, workshop=services.open_workshop(actor=lead, workshop=planned))
    persona.workshop.refresh_from_db()
    for actor in (lead, resident, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.change_persona(actor=actor, persona=persona, name="Anders", situation="Anders",
                                    image=process_image(jpeg_bytes()))
        with pytest.raises(PermissionDenied):
            services.remove_persona(actor=actor, persona=persona)
    persona.refresh_from_db()
    assert persona.name == "Henk, 71" and stored_folders() == []


# --- who gets the page and its forms ----------------------------------------------------------------------------

HERE = "facilitator_here"
GRID_ROLES = [HERE, "facilitator", "staff", "superuser", "superuser_not_staff", "resident", "anonymous"]
STATES = [WorkshopState.PLANNED, WorkshopState.OPEN, WorkshopState.ENDED]


@pytest.fixture
def people(cast, kern):
    """The shared cast, plus this workshop's own facilitator; the cast's facilitator runs another workshop."""
    here = in_group(factories.UserFactory(kern=kern, first_name="Hanna"))
    WorkshopFactory(kern=kern, facilitators=[cast["facilitator"]])
    return {**cast, HERE: here}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", GRID_ROLES)
def test_the_page_and_each_form_answer_only_who_may_change_the_workshop(people, kern, role, state):
    workshop = WorkshopFactory(kern=kern, state=state, facilitators=[people[HERE]])
    kept = Persona.objects.create(workshop=workshop, name="Samira", situation="Verhuist", order=0)
    gone = Persona.objects.create(workshop=workshop, name="Henk", situation="Verhuist", order=1)
    allowed = role in {HERE, "staff", "superuser"} and state != WorkshopState.ENDED
    client = signed_in(fresh(people[role]))

    page = client.get(page_url(workshop))
    assert page.status_code == (200 if allowed else 403)
    added = client.post(page_url(workshop), {"name": "Piet", "situation": "Nieuw in het dorp"})
    assert added.status_code == (302 if allowed else 403)
    changed = client.post(change_url(kept), {"name": "Samira, 34", "situation": "Verhuist met kinderen"})
    assert changed.status_code == (302 if allowed else 403)
    removed = client.post(remove_url(gone))
    assert removed.status_code == (302 if allowed else 403)

    kept.refresh_from_db()
    names = set(Persona.objects.filter(workshop=workshop).values_list("name", flat=True))
    if allowed:
        assert names == {"Samira, 34", "Piet"} and kept.situation == "Verhuist met kinderen"
        assert added["Location"].startswith(page_url(workshop) + "#persona-")
    else:
        assert names == {"Samira", "Henk"} and kept.situation == "Verhuist"
        # The 403 page says why and leads back to the workshop.
        assert "veranderen de persona" in page.content.decode()
        assert reverse("lab:workshop", args=[workshop.pk]) in page.content.decode()


def test_an_unknown_workshop_or_a_persona_of_another_workshop_is_not_found(planned, lead, kern):
    client = signed_in(lead)
    mine = add(lead, planned, photo=None)
    elsewhere = plan(lead, kern=kern, title="Een andere werksessie")
    theirs = add(lead, elsewhere, "Samira", photo=None)
    assert client.get(reverse("lab:personas", args=[elsewhere.pk + 100])).status_code == 404
    assert client.post(reverse("lab:personas", args=[elsewhere.pk + 100]),
                       {"name": "Piet", "situation": "Nieuw"}).status_code == 404
    # The persona of the other workshop, sent with this workshop's address (both are the lead's).
    forged_change = reverse("lab:change_persona", args=[planned.pk, theirs.pk])
    assert client.post(forged_change, {"name": "Gewijzigd", "situation": "Gewijzigd"}).status_code == 404
    assert client.post(reverse("lab:remove_persona", args=[planned.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("lab:change_persona", args=[planned.pk, mine.pk + 100]),
                       {"name": "Gewijzigd", "situation": "Gewijzigd"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Samira" and Persona.objects.count() == 2


def test_the_page_takes_only_get_and_post_and_the_forms_only_post(planned, lead):
    persona = add(lead, planned, photo=None)
    client = signed_in(lead)
    assert client.put(page_url(planned)).status_code == 405
    assert client.get(change_url(persona)).status_code == 405
    assert client.get(remove_url(persona)).status_code == 405
    assert Persona.objects.get().name == "Henk, 71"


# --- the forms on the page --------------------------------------------------------------------------------------

def test_the_facilitator_adds_a_persona_with_a_photo_and_its_description(planned, lead):
    client = signed_in(lead)
    page = client.get(page_url(planned)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page and 'name="photo_alt"' in page
    assert "We halen de plaats en de camera uit de foto." in page and "Dit hoeft niet." in page
    # Every field of the add form has a label of its own, and its help is read out with it.
    for field in ("name", "situation", "needs", "photo", "photo_alt"):
        assert f'for="nieuw-{field}"' in page and f'id="nieuw-{field}"' in page
    assert 'aria-describedby="nieuw-photo_helptext"' in page
    answer = client.post(page_url(planned), {"name": "Henk, 71", "situation": "Woont alleen.", "needs": "Hulp",
                                             "photo": upload(gps_tagged_jpeg()), "photo_alt": "Henk met een pet"},
                         follow=True)
    persona = Persona.objects.get()
    assert persona.has_photo and persona.photo_alt == "Henk met een pet" and persona.needs == "Hulp"
    shown = answer.content.decode()
    assert "De persona Henk, 71 is toegevoegd." in shown
    assert f'src="{persona.photo_url}"' in shown and 'alt="Henk met een pet"' in shown
    assert f'id="persona-{persona.pk}-name"' in shown and 'name="remove_photo"' in shown


@pytest.mark.parametrize("data, error", [
    ({"name": "Henk", "situation": "Alleen", "photo": upload(b"<svg onload=alert(1)></svg>", "henk.jpg")},
     "geen foto die we kunnen gebruiken"),
    ({"name": "Henk", "situation": "Alleen", "photo": upload(b"gewoon tekst", "henk.png", "image/png")},
     "geen foto die we kunnen gebruiken"),
    ({"name": "", "situation": "Alleen", "photo": upload(jpeg_bytes())}, 'id="nieuw-name_error"'),
    ({"name": "Henk", "situation": "x" * 1001}, 'id="nieuw-situation_error"'),
    # Passes the form's shape, refused by the service: only markup is no name.
    ({"name": "<b></b>", "situation": "Alleen", "photo": upload(jpeg_bytes())}, "naam"),
])
def test_bad_input_to_add_is_shown_on_the_page_and_nothing_is_made(planned, lead, data, error):
    answer = signed_in(lead).post(page_url(planned), data)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert error in page and 'role="alert"' in page and "De persona is niet toegevoegd." in page
    assert 'value="Henk"' in page or data["name"] != "Henk"  # what was typed is kept
    assert not Persona.objects.exists() and stored_folders() == []


def test_bad_input_to_change_is_shown_at_that_persona_and_nothing_changes(planned, lead):
    persona = add(lead, planned)
    other = add(lead, planned, "Samira", photo=None)
    client = signed_in(lead)
    for data in ({"name": "Henk", "situation": "Alleen", "photo": upload(b"niet een foto")},
                 {"name": "", "situation": "Alleen"},
                 {"name": "<i></i>", "situation": "Alleen", "photo": upload(jpeg_bytes())}):
        answer = client.post(change_url(persona), data)
        assert answer.status_code == 400
        page = answer.content.decode()
        assert "De wijziging van Henk, 71 is niet bewaard." in page
        # The form that failed is open; the other persona's form is not.
        assert f'id="persona-{persona.pk}-name"' in page and "<details class=\"manage-section\" open>" in page
        assert page.count("<details class=\"manage-section\" open>") == 1
        assert f'id="persona-{other.pk}-name"' in page
    persona.refresh_from_db()
    assert persona.name == "Henk, 71" and stored_folders() == [persona.photo_key]


def test_the_facilitator_changes_the_photo_then_removes_it_and_then_the_persona(planned, lead,
                                                                                 django_capture_on_commit_callbacks):
    persona = add(lead, planned)
    client = signed_in(lead)
    old_key = persona.photo_key
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(change_url(persona), {"name": "Henk", "situation": "Woont alleen.",
                                                   "photo": upload(jpeg_bytes((400, 300))), "photo_alt": "Henk"})
    assert answer.status_code == 302 and answer["Location"] == page_url(planned) + f"#persona-{persona.pk}"
    persona.refresh_from_db()
    assert persona.photo_key != old_key and persona.photo_renditions[0]["width"] == 400
    assert stored_folders() == [persona.photo_key]
    # Without a description in the form, the description stays.
    client.post(change_url(persona), {"name": "Henk", "situation": "Woont alleen."})
    persona.refresh_from_db()
    assert persona.has_photo and persona.photo_alt == "Henk"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(persona), {"name": "Henk", "situation": "Woont alleen.", "photo_alt": "Henk",
                                          "remove_photo": "on"})
    persona.refresh_from_db()
    assert not persona.has_photo and stored_folders() == []
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(remove_url(persona), follow=True)
    assert "De persona Henk is weggehaald." in answer.content.decode() and not Persona.objects.exists()


def test_with_twelve_personas_the_page_offers_no_add_form_and_a_thirteenth_is_refused_on_the_page(planned, lead):
    for n in range(MAX_PERSONAS):
        add(lead, planned, f"Persona {n}", photo=None)
    client = signed_in(lead)
    page = client.get(page_url(planned)).content.decode()
    assert 'id="nieuw-name"' not in page and "Er zijn al 12 persona's. Haal er eerst een weg." in page
    answer = client.post(page_url(planned), {"name": "Nummer dertien", "situation": "Te veel",
                                             "photo": upload(jpeg_bytes())})
    assert answer.status_code == 400 and "hoogstens 12 persona" in answer.content.decode()
    assert 'value="Nummer dertien"' in answer.content.decode()
    assert Persona.objects.count() == MAX_PERSONAS and stored_folders() == []


def test_the_personas_page_reads_the_same_few_queries_for_one_or_twelve_personas(planned, lead,
                                                                                 django_assert_max_num_queries):
    client = signed_in(lead)
    add(lead, planned)
    client.get(page_url(planned))  # the session's first visit writes once
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url(planned)).status_code == 200
    for n in range(MAX_PERSONAS - 1):
        add(lead, planned, f"Persona {n}")
    with django_assert_max_num_queries(4), CaptureQueriesContext(connection) as twelve:
        page = client.get(page_url(planned)).content.decode()
    assert len(twelve) == len(one)
    assert page.count(f"/media/{PERSONA_PREFIX}/") >= MAX_PERSONAS


# --- the photo itself, and the public page ----------------------------------------------------------------------

def test_the_photo_is_served_to_anyone_without_the_position_the_upload_had(planned, lead):
    signed_in(lead).post(page_url(planned), {"name": "Henk", "situation": "Alleen",
                                             "photo": upload(gps_tagged_jpeg()), "photo_alt": "Henk"})
    persona = Persona.objects.get()
    answer, body = served(Client(), persona.photo_url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
    for name in persona.photo_names():
        with default_storage.open(name) as handle:
            assert not Image.open(io.BytesIO(handle.read())).getexif()


def test_the_public_page_shows_each_photo_with_its_description_or_a_fallback(planned, lead, resident):
    described = add(lead, planned, alt="Henk met zijn hond")
    undescribed = add(lead, planned, "Samira", alt="")
    plain = add(lead, planned, "Piet", photo=None)
    page = Client().get(reverse("lab:workshop", args=[planned.pk])).content.decode()
    first = described.photo_renditions[0]
    assert (f'<img src="{described.photo_url}" srcset="{described.photo_srcset}"' in page
            and f'width="{first["width"]}" height="{first["height"]}" alt="Henk met zijn hond"' in page)
    assert f'src="{undescribed.photo_url}"' in page and 'alt="Foto of tekening van Samira"' in page
    assert plain.name in page and page.count("<img src=") == 2
    # Only who may change the workshop is led to the personas page.
    assert page_url(planned) not in page
    assert page_url(planned) not in signed_in(resident).get(reverse("lab:workshop", args=[planned.pk])).content.decode()
    assert "Persona's beheren" in signed_in(lead).get(reverse("lab:workshop", args=[planned.pk])).content.decode()


def test_a_facilitator_finds_the_personas_page_from_a_workshop_without_personas(planned, lead):
    page = signed_in(lead).get(reverse("lab:workshop", args=[planned.pk])).content.decode()
    assert f'href="{page_url(planned)}"' in page and "Deze werksessie heeft nog geen persona" in page
    assert "Voor wie we het doen" not in Client().get(reverse("lab:workshop", args=[planned.pk])).content.decode()


def test_photos_add_no_query_to_the_public_page(planned, lead):
    add(lead, planned, photo=None)
    url = reverse("lab:workshop", args=[planned.pk])
    Client().get(url)
    with CaptureQueriesContext(connection) as without_photos:
        Client().get(url)
    for n in range(5):
        add(lead, planned, f"Persona {n}")
    with CaptureQueriesContext(connection) as with_photos:
        page = Client().get(url).content.decode()
    assert len(with_photos) == len(without_photos) and page.count("<img src=") == 5


# --- the demo -----------------------------------------------------------------------------------------------------

def test_the_demos_finished_workshop_has_a_persona_with_a_drawing_once(kern):
    from lab.models import Workshop
    from lab.workshops import demo

    factories.KernFactory(slug="giessenburg", name="Giessenburg")
    factories.StaffFactory(email="fatima@example.org")
    for email in ("jan@example.org", "kees@example.org"):
        factories.UserFactory(email=email, kern=kern)
    demo.seed()
    demo.seed()
    finished = Workshop.objects.get(title=demo.FINISHED)
    drawn = [persona for persona in finished.personas.all() if persona.has_photo]
    assert len(drawn) == 1 and drawn[0].photo_alt.startswith("Een tekening")
    assert all(default_storage.exists(name) for name in drawn[0].photo_names())
    assert stored_folders() == [drawn[0].photo_key]
    page = Client().get(reverse("lab:workshop", args=[finished.pk])).content.decode()
    assert f'src="{drawn[0].photo_url}"' in page and f'alt="{drawn[0].photo_alt}"' in page


# --- the services' own guards (the pages ask the rule first; these hold when something else calls them) --------

def test_the_services_ask_the_rule_themselves_also_without_a_photo(planned, lead, resident):
    with pytest.raises(PermissionDenied):
        add(resident, planned, photo=None)
    persona = add(lead, planned, photo=None)
    with pytest.raises(PermissionDenied):
        services.change_persona(actor=resident, persona=persona, name="Anders", situation="Anders")
    with pytest.raises(PermissionDenied):
        services.change_persona(actor=resident, persona=persona, name="Anders", situation="Anders",
                                image=process_image(jpeg_bytes()))
    assert not default_storage.exists(PERSONA_PREFIX)  # refused before the photo was written
    persona.refresh_from_db()
    assert persona.name == "Henk, 71" and Persona.objects.count() == 1


def test_the_limit_and_the_order_count_this_workshops_personas_only(planned, lead, kern):
    elsewhere = plan(lead, kern=kern)
    for n in range(MAX_PERSONAS):
        add(lead, elsewhere, name=f"Elders {n}", photo=None)
    made = [add(lead, planned, name=name, photo=None) for name in ("Anna", "Bram", "Cor")]
    assert [p.order for p in made] == [0, 1, 2]
    assert list(planned.personas.values_list("name", flat=True)) == ["Anna", "Bram", "Cor"]


@pytest.mark.django_db(transaction=True)
def test_removing_a_persona_commits_on_its_own_and_its_files_go(kern):
    """Outside a test's transaction: the service holds the workshop's lock in a transaction of its own (PostgreSQL
    refuses a lock outside one), and the files go once it commits."""

    facilitator = in_group(factories.UserFactory(kern=kern))
    workshop = plan(facilitator, kern=kern)
    persona = add(facilitator, workshop)
    names = persona.photo_names()
    services.remove_persona(actor=facilitator, persona=persona)
    assert not Persona.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db(transaction=True)
def test_changing_a_persona_commits_on_its_own_and_the_old_photo_goes(kern):
    """Outside a test's transaction: the change holds the workshop's lock in a transaction of its own (PostgreSQL
    refuses a lock outside one), and the replaced photo's files go once it commits."""
    facilitator = in_group(factories.UserFactory(kern=kern))
    persona = add(facilitator, plan(facilitator, kern=kern))
    old = persona.photo_names()
    changed = services.change_persona(actor=facilitator, persona=persona, name="Henk", situation="Verhuist.",
                                      image=process_image(jpeg_bytes()))
    assert Persona.objects.get(pk=persona.pk).photo_key == changed.photo_key != persona.photo_key
    assert not any(default_storage.exists(name) for name in old)
