"""The import pages, under /projects/import/ (included by microprojects.urls, in its namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/columns/", views.import_columns, name="import_columns"),
]
