"""/api/v1/ routes for initiatives and pledges (included by config.urls under the ``api`` namespace)."""

from django.urls import path

from initiatives.api import views

urlpatterns = [
    path("initiatives/", views.InitiativeList.as_view(), name="initiatives-list"),
    path("initiatives/<int:pk>/", views.InitiativeDetail.as_view(), name="initiatives-detail"),
    path("initiatives/<int:pk>/submit/", views.SubmitInitiative.as_view(), name="initiatives-submit"),
    path("initiatives/<int:pk>/approve/", views.ApproveInitiative.as_view(), name="initiatives-approve"),
    path("initiatives/<int:pk>/request-changes/", views.RequestChanges.as_view(), name="initiatives-request-changes"),
    path("initiatives/<int:pk>/decline/", views.DeclineInitiative.as_view(), name="initiatives-decline"),
    path("initiatives/<int:pk>/reconsider/", views.RequestReconsideration.as_view(), name="initiatives-reconsider"),
    path("initiatives/<int:pk>/archive/", views.ArchiveInitiative.as_view(), name="initiatives-archive"),
    path("initiatives/<int:pk>/events/", views.InitiativeEvents.as_view(), name="initiatives-events"),
    path("initiatives/<int:pk>/pledges/", views.InitiativePledges.as_view(), name="initiatives-pledge"),
    path("pledges/", views.MyPledges.as_view(), name="pledges-mine"),
    path("pledges/<int:pk>/cancel/", views.CancelPledge.as_view(), name="pledges-cancel"),
]
