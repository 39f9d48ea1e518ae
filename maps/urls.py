from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("", views.initiatives_map, name="initiatives_map"),
    path("gemeente.geojson", views.municipality, name="municipality"),
    path("initiatieven.geojson", views.initiatives_geojson, name="initiatives_geojson"),
]
