from django.urls import path

from lab.feedback import views as feedback

app_name = "lab"

urlpatterns = [
    path("hoe-was-het/bedankt/", feedback.thanks, name="feedback_thanks"),
    path("hoe-was-het/<str:token>/", feedback.answer_by_link, name="feedback_by_link"),
    path("hoe-was-het/<str:kind>/<int:object_id>/", feedback.answer_signed_in, name="feedback_answer"),
    path("antwoorden/", feedback.overview, name="feedback_overview"),
    path("antwoorden/<str:kind>/<int:object_id>/", feedback.results, name="feedback_results"),
]
