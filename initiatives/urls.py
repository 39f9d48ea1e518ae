from django.urls import path

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("nieuw/", views.start, name="start"),
    path("mijn/", views.my_initiatives, name="mine"),
    path("dorpsraad/", views.moderation_queue, name="moderation_queue"),
    path("dorpsraad/agenda/", views.council_agenda, name="council_agenda"),
    path("dorpsraad/<slug:kern>/drempel/", views.support_threshold, name="support_threshold"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/<slug:step>/", views.edit_step, name="edit_step"),
    path("<int:pk>/weggooien/", views.delete_draft, name="delete_draft"),
    path("<int:pk>/beoordelen/", views.decide, name="decide"),
    path("<int:pk>/volgen/", views.follow, name="follow"),
    path("<int:pk>/ontvolgen/", views.unfollow, name="unfollow"),
    path("<int:pk>/steunen/", views.support, name="support"),
    path("<int:pk>/steun-intrekken/", views.unsupport, name="unsupport"),
    path("<int:pk>/toezeggen/", views.make_pledge, name="pledge"),
    path("<int:pk>/nieuws/", views.post_update, name="post_update"),
    path("<int:pk>/dorpsraad/datum/", views.schedule_agenda_item, name="schedule_agenda_item"),
    path("<int:pk>/dorpsraad/besluit/", views.record_agenda_outcome, name="record_agenda_outcome"),
    path("<int:pk>/heroverweging/", views.request_reconsideration, name="request_reconsideration"),
    path("<int:pk>/team/<int:user_pk>/weghalen/", views.remove_team_member, name="remove_team_member"),
    path("meedoen/<str:token>/", views.join, name="join"),
    path("toezegging/<int:pledge_pk>/intrekken/", views.cancel_pledge, name="cancel_pledge"),
    path("foto/<int:photo_pk>/weghalen/", views.remove_photo, name="remove_photo"),
]
