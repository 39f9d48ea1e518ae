from django.urls import path

from discussion import views

app_name = "discussion"

urlpatterns = [
    path("moderatie/", views.queue, name="moderation_queue"),
    path("<int:pk>/", views.thread_page, name="thread"),
    path("<int:pk>/reageren/", views.post_comment, name="post_comment"),
    path("over/<str:label>/<int:pk>/reageren/", views.post_first_comment, name="post_first_comment"),
    path("<int:pk>/namen/", views.MentionSuggestions.as_view(), name="mention_suggestions"),
    path("over/<str:label>/<int:pk>/namen/", views.MentionSuggestions.as_view(), name="mention_suggestions_about"),
    path("<int:pk>/sluiten/", views.close_thread, name="close_thread"),
    path("reactie/<int:pk>/", views.fragment, name="fragment"),
    path("reactie/<int:pk>/bewerken/", views.edit_comment, name="edit_comment"),
    path("reactie/<int:pk>/verwijderen/", views.delete_comment, name="delete_comment"),
    path("reactie/<int:pk>/reactie/<str:kind>/", views.react, name="react"),
    path("reactie/<int:pk>/melden/", views.flag, name="flag"),
    path("reactie/<int:pk>/modereren/", views.moderate, name="moderate"),
    path("reactie/<int:pk>/blokkeren/", views.block_author, name="block_author"),
]
