from django.urls import path

from lab.feedback import views as feedback
from lab.workshops.views import board, controls, join, journey_templates, outcomes, pages, personas, results

app_name = "lab"

# The feedback keeps its /lab/ addresses (links in notifications already sent point there); workshops and joining
# have addresses of their own, short enough to type from a screen.

urlpatterns = [
    path("lab/hoe-was-het/bedankt/", feedback.thanks, name="feedback_thanks"),
    path("lab/hoe-was-het/<str:token>/", feedback.answer_by_link, name="feedback_by_link"),
    path("lab/hoe-was-het/<str:kind>/<int:object_id>/", feedback.answer_signed_in, name="feedback_answer"),
    path("lab/antwoorden/", feedback.overview, name="feedback_overview"),
    path("lab/antwoorden/<str:kind>/<int:object_id>/", feedback.results, name="feedback_results"),
    path("werksessies/", pages.workshop_list, name="workshops"),
    path("werksessies/plannen/", pages.plan_workshop, name="plan_workshop"),
    path("werksessies/sjablonen/", journey_templates.templates, name="templates"),
    path("werksessies/sjablonen/<int:pk>/naam/", journey_templates.rename, name="rename_template"),
    path("werksessies/sjablonen/<int:pk>/weghalen/", journey_templates.remove, name="remove_template"),
    path("werksessies/<int:pk>/", pages.workshop_detail, name="workshop"),
    path("werksessies/<int:pk>/sjabloon/", pages.save_as_template, name="save_template"),
    path("werksessies/<int:pk>/personas/", personas.personas, name="personas"),
    path("werksessies/<int:pk>/personas/<int:persona_id>/wijzigen/", personas.change_persona, name="change_persona"),
    path("werksessies/<int:pk>/personas/<int:persona_id>/weghalen/", personas.remove_persona, name="remove_persona"),
    path("werksessies/<int:pk>/bord/", board.board, name="board"),
    path("werksessies/<int:pk>/bord/kaartje/", board.add_card, name="add_card"),
    path("werksessies/<int:pk>/bord/kaartje/<int:card_id>/", board.card_fragment, name="board_card"),
    path("werksessies/<int:pk>/bord/kaartje/<int:card_id>/wijzigen/", board.edit_card, name="edit_card"),
    path("werksessies/<int:pk>/bord/kaartje/<int:card_id>/weghalen/", board.remove_card, name="remove_card"),
    path("werksessies/<int:pk>/bord/kaartje/<int:card_id>/stip/", board.place_dot, name="place_dot"),
    path("werksessies/<int:pk>/bord/kaartje/<int:card_id>/beheren/", controls.manage_card, name="manage_card"),
    path("werksessies/<int:pk>/bord/stip/<int:dot_id>/weghalen/", board.remove_dot, name="remove_dot"),
    path("werksessies/<int:pk>/bord/gevoel/", board.set_feeling, name="set_feeling"),
    path("werksessies/<int:pk>/bord/bedienen/", controls.control, name="control"),
    path("werksessies/<int:pk>/resultaten/", results.results, name="results"),
    path("werksessies/<int:pk>/resultaten/samenvatting/", outcomes.write_summary, name="write_summary"),
    path("werksessies/<int:pk>/resultaten/idee/<int:card_id>/", outcomes.follow_up, name="follow_up"),
    path("werksessies/<int:pk>/resultaten/opvolging/<int:follow_up_id>/", outcomes.change_status,
         name="change_follow_up"),
    path("werksessies/<int:pk>/hoe-was-het/", outcomes.feedback, name="workshop_feedback"),
    path("werksessies/<int:pk>/<str:name>", outcomes.export, name="export"),
    path("werksessies/klantreis.schema.json", outcomes.journey_schema, name="journey_schema"),
    path("meedoen/", join.join, name="join"),
]
