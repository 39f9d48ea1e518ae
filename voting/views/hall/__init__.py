"""Pages of the village hall: the code page for residents, and for staff per box the letter codes (with the
letters), the counter, paper ballots entered twice, and the reconciliation of the register."""

from django.urls import path

from voting.views.hall import code_entry, codes, counter, overview, paper, register

HALL = "stemmen/<int:box>/gemeentehuis/"

urlpatterns = [
    path("stemcode/", code_entry.enter_code, name="enter_code"),
    path(HALL, overview.hall, name="hall"),
    path(HALL + "codes/", codes.codes, name="codes"),
    path(HALL + "codes/<int:code>/intrekken/", codes.revoke, name="code_revoke"),
    path(HALL + "codes/<int:code>/nieuwe-brief/", codes.reissue, name="code_reissue"),
    path(HALL + "brieven/<str:key>/", codes.letters, name="letters"),
    path(HALL + "brieven/<str:key>/stand/", codes.letters_status, name="letters_status"),
    path(HALL + "balie/", counter.counter, name="counter"),
    path(HALL + "balie/stemmen/", counter.counter_ballot, name="counter_ballot"),
    path(HALL + "papier/", paper.paper, name="paper"),
    path(HALL + "papier/<int:sheet>/", paper.settle, name="paper_settle"),
    path(HALL + "register/", register.register, name="register"),
    path(HALL + "register.csv", register.register_csv, name="register_csv"),
]
