"""/api/v1/ routes for walks and observations (included by config.urls under the ``api`` namespace)."""

from django.urls import path

from maps.api import views

urlpatterns = [
    path("walks/", views.WalkList.as_view(), name="walks-list"),
    path("walks/geojson/", views.WalksGeoJSON.as_view(), name="walks-geojson"),
    path("walks/<int:pk>/", views.WalkDetail.as_view(), name="walks-detail"),
    path("walks/<int:pk>/signup/", views.WalkSignup.as_view(), name="walks-signup"),
    path("walks/<int:pk>/observations/", views.WalkObservations.as_view(), name="walks-observations"),
    path("walks/<int:pk>/observations/nearby/", views.NearbyObservations.as_view(), name="walks-nearby"),
    path("walks/<int:pk>/triage/", views.Triage.as_view(), name="walks-triage"),
    path("walks/<int:pk>/merge/", views.Merge.as_view(), name="walks-merge"),
    path("observations/", views.ObservationsGeoJSON.as_view(), name="observations-geojson"),
    path("observations/<int:pk>/", views.ObservationDetail.as_view(), name="observations-detail"),
    path("observations/<int:pk>/photos/", views.ObservationPhotos.as_view(), name="observations-photos"),
    path("observations/<int:pk>/correct/", views.Correct.as_view(), name="observations-correct"),
]
