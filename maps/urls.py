from django.urls import path

from maps import views
from maps.views import capture, report, triage, walks

app_name = "maps"

urlpatterns = [
    path("kaart/", views.initiatives_map, name="initiatives_map"),
    path("kaart/gemeente.geojson", views.municipality, name="municipality"),
    path("kaart/initiatieven.geojson", views.initiatives_geojson, name="initiatives_geojson"),
    path("wijkschouw/", walks.walk_list, name="walks"),
    path("wijkschouw/plannen/", walks.plan_walk, name="plan_walk"),
    path("wijkschouw/sw.js", capture.service_worker, name="service_worker"),
    path("wijkschouw/<int:pk>/", walks.walk_detail, name="walk"),
    path("wijkschouw/<int:pk>/aanmelden/", walks.sign_up, name="sign_up"),
    path("wijkschouw/<int:pk>/afmelden/", walks.cancel_signup, name="cancel_signup"),
    path("wijkschouw/<int:pk>/starten/", walks.start_walk, name="start_walk"),
    path("wijkschouw/<int:pk>/afronden/", walks.finish_walk, name="finish_walk"),
    path("wijkschouw/<int:pk>/wijzigen/", walks.manage_walk, name="manage_walk"),
    path("wijkschouw/<int:pk>/agenda.ics", walks.walk_ics, name="walk_ics"),
    path("wijkschouw/<int:pk>/meelopen/", capture.capture, name="capture"),
    path("wijkschouw/<int:pk>/meelopen/waarneming/", capture.record, name="record"),
    path("wijkschouw/<int:pk>/manifest.webmanifest", capture.manifest, name="manifest"),
    path("wijkschouw/<int:pk>/beoordelen/", triage.triage, name="triage"),
    path("wijkschouw/<int:pk>/beoordelen/besluit/", triage.decide, name="decide"),
    path("wijkschouw/<int:pk>/beoordelen/samenvoegen/", triage.merge, name="merge"),
    path("wijkschouw/<int:pk>/verslag/", report.report, name="report"),
    path("wijkschouw/<int:pk>/verslag.pdf", report.report_pdf, name="report_pdf"),
    path("wijkschouw/<int:pk>/verslag.csv", report.report_csv, name="report_csv"),
    path("wijkschouw/<int:pk>/verslag.geojson", report.report_geojson, name="report_geojson"),
    path("wijkschouw/waarneming/<int:pk>/", capture.observation_detail, name="observation"),
    path("wijkschouw/waarneming/<int:pk>/foto/", capture.add_photo, name="add_photo"),
    path("wijkschouw/waarneming/<int:pk>/corrigeren/", triage.correct, name="correct"),
    path("wijkschouw/waarneming/<int:pk>/melding/opnieuw/", triage.retry_report, name="retry_report"),
    path("wijkschouw/waarneming/<int:pk>/melding/koppelen/", triage.link_report, name="link_report"),
]
