from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("mijn/", views.personal_home, name="home"),
    path("mijn/kern/", views.choose_kern, name="choose_kern"),
    path("mijn/gegevens/", views.profile, name="profile"),
    path("mijn/gegevens/downloaden/", views.export_my_data, name="export_my_data"),
    path("mijn/gegevens/verwijderen/", views.erase_my_account, name="erase_my_account"),
    path("mijn/meldingen/", views.notifications, name="notifications"),
    path("mijn/meldingen/gelezen/", views.mark_notifications_read, name="mark_notifications_read"),
    path("mijn/meldingen/<int:pk>/open/", views.open_notification, name="open_notification"),
    path("mijn/meldingen/instellingen/", views.notification_settings, name="notification_settings"),
    path("meldingen/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("contact/", views.contact, name="contact"),
    path("bureau/", views.staff_desk, name="staff_desk"),
    path("bureau/terugbellen/<int:pk>/", views.handle_callback, name="handle_callback"),
    path("dorpsraad/bewoners/", views.residents_to_confirm, name="residents_to_confirm"),
    path("dorpsraad/bewoners/<int:pk>/bevestig/", views.confirm_residency, name="confirm_residency"),
]
