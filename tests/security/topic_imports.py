"""Imports (issue #21 §4): organisation staff bring data into their own organisation; nobody
else sees an import (404), coordinators and reviewers have no import page (403)."""

from django.urls import reverse

from microprojects.imports import services

# Roles: anon client sw other admin rev revx coord (tests/security/world.py)
WEB_STAFF = "login login ok ok ok 403 403 403"
WEB_STAFF_WRITE = "login login bad bad bad 403 403 403"
WEB_OWN = "login login ok 404 ok 404 404 404"
WEB_OWN_WRITE = "login login bad 404 bad 404 404 404"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_LOGGED_IN = "403 403 ok ok ok ok ok ok"
API_OWN = "403 403 ok 404 ok 404 404 404"
API_NO_SUCH_METHOD = "403 403 405 405 405 405 405 405"
READ_ONLY = "- - - - - - - -"

EXPECTED = {
    "microprojects:import_list": (WEB_STAFF, WEB_STAFF_WRITE),  # an empty upload: 400
    "microprojects:import_template": (WEB_STAFF, WEB_NO_SUCH_METHOD),
    "microprojects:import_detail": (WEB_OWN, WEB_NO_SUCH_METHOD),
    # the world's import still needs its columns: confirming it is refused (a message, back to its page)
    "microprojects:import_confirm": (WEB_NO_SUCH_METHOD, "login login ok 404 ok 404 404 404"),
    "microprojects:import_columns": (WEB_OWN, WEB_OWN_WRITE),
    "api:import-list": (API_LOGGED_IN, "403 403 bad bad bad 403 403 403"),
    "api:import-detail": (API_OWN, READ_ONLY),
    "api:import-confirm": (API_NO_SUCH_METHOD, "403 403 bad 404 bad 404 404 404"),
}

URLS = {
    "microprojects:import_list": lambda w: reverse("microprojects:import_list"),
    "microprojects:import_template": lambda w: reverse("microprojects:import_template"),
    "microprojects:import_detail": lambda w: reverse("microprojects:import_detail", args=[w.import_job.pk]),
    "microprojects:import_confirm": lambda w: reverse("microprojects:import_confirm", args=[w.import_job.pk]),
    "microprojects:import_columns": lambda w: reverse("microprojects:import_columns", args=[w.import_job.pk]),
    "api:import-list": lambda w: reverse("api:import-list"),
    "api:import-detail": lambda w: reverse("api:import-detail", args=[w.import_job.pk]),
    "api:import-confirm": lambda w: reverse("api:import-confirm", args=[w.import_job.pk]),
}

KOBO = b"today,What,How many,_uuid\n2025-03-02,Village meeting,9,aaa-1\n"


def extend_world(world) -> None:
    # A KoboToolbox export whose columns are still to be chosen (its check is not queued).
    world.objects["import_job"] = services.import_upload(
        by=world.users["sw"], content=KOBO, filename="kobo.csv", organisation=world.project.organisation
    )
