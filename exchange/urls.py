from django.urls import path

from . import case_views, views

app_name = "exchange"

urlpatterns = [
    path("methods/", views.method_list, name="methods"),
    path("methods/<slug:slug>/", views.method_detail, name="method"),
    path("cases/", case_views.cases, name="cases"),
    path("cases/new/", case_views.case_new, name="case_new"),
    path("cases/<int:pk>/", case_views.case, name="case"),
    path("cases/<int:pk>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", case_views.case_submit, name="case_submit"),
    path("cases/<int:pk>/publish/", case_views.case_publish, name="case_publish"),
    path("cases/<int:pk>/return/", case_views.case_return, name="case_return"),
    path("cases/<int:pk>/unpublish/", case_views.case_unpublish, name="case_unpublish"),
    path("cases/<int:pk>/adapt/", case_views.case_adapt, name="case_adapt"),
    path("cases/<int:pk>/contact/", case_views.case_contact, name="case_contact"),
    path("cases/<int:pk>/threads/<int:thread_pk>/", case_views.case_thread, name="case_thread"),
    path("cases/<int:pk>/photos/", case_views.case_photo_add, name="case_photo_add"),
    path("cases/<int:pk>/photos/<int:photo_pk>/", case_views.case_photo, name="case_photo"),
    path(
        "cases/<int:pk>/photos/<int:photo_pk>/delete/", case_views.case_photo_delete, name="case_photo_delete"
    ),
]
