"""/api/v1/ routes for workshops (included by config.urls under the ``api`` namespace)."""

from django.urls import path

from lab.workshops.api import outcomes, views

urlpatterns = [
    path("workshops/", views.WorkshopList.as_view(), name="workshops-list"),
    path("workshops/join/", views.Join.as_view(), name="workshops-join"),
    path("workshops/<int:pk>/", views.WorkshopDetail.as_view(), name="workshops-detail"),
    path("workshops/<int:pk>/board/", views.Board.as_view(), name="workshops-board"),
    path("workshops/<int:pk>/cards/", views.Cards.as_view(), name="workshops-cards"),
    path("workshops/<int:pk>/cards/<int:card_id>/", views.CardDetail.as_view(), name="workshops-card"),
    path("workshops/<int:pk>/feelings/", views.Feelings.as_view(), name="workshops-feelings"),
    path("workshops/<int:pk>/dots/", views.Dots.as_view(), name="workshops-dots"),
    path("workshops/<int:pk>/dots/<int:dot_id>/", views.DotDetail.as_view(), name="workshops-dot"),
    path("workshops/<int:pk>/control/", views.Control.as_view(), name="workshops-control"),
    path("workshops/<int:pk>/results/", views.Results.as_view(), name="workshops-results"),
    path("workshops/<int:pk>/exports/", outcomes.Exports.as_view(), name="workshops-exports"),
    path("workshops/<int:pk>/exports/<str:name>/", outcomes.Export.as_view(), name="workshops-export"),
    path("workshops/<int:pk>/follow-ups/", outcomes.FollowUps.as_view(), name="workshops-follow-ups"),
]
