from django.urls import path

from . import views

app_name = "accelerator"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:pk>/transition/", views.round_transition, name="round-transition"),
    path("rounds/<int:pk>/criteria/", views.criterion_create, name="criterion-create"),
    path("rounds/<int:pk>/apply/<int:project_pk>/", views.apply, name="apply"),
    path("rounds/<int:pk>/assignments/", views.assignment_board, name="assignments"),
    path("rounds/<int:pk>/auto-assign/", views.auto_assign, name="auto-assign"),
    path(
        "rounds/<int:pk>/reviewers/<int:reviewer_pk>/country/",
        views.reviewer_country,
        name="reviewer-country",
    ),
    path("rounds/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("rounds/<int:pk>/decision/", views.decision, name="decision"),
    path("rounds/<int:pk>/decision/close/", views.close_decision, name="close"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"),
    path("reviews/", views.inbox, name="inbox"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/conflict/", views.declare_conflict, name="conflict"),
    path("startups/", views.startups, name="startups"),
    path("startups/<int:pk>/", views.startup_detail, name="startup"),
]
