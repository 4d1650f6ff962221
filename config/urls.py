from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

import microprojects.offline
from sempre.api_schema import SchemaView
from sempre.forms import PasswordResetForm
from sempre.views import LogoutView, PasswordResetView, language_set

urlpatterns = [
    path("admin/", admin.site.urls),
    # The password reset e-mail in the language saved on the account (issue #17), limited per
    # address and per e-mail (issue #19).
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    # Logging out also deletes what the site keeps on the device (docs/offline.md).
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Django's language menu view, which also saves a logged-in person's choice on their account.
    path("i18n/setlang/", language_set, name="set_language"),
    # Made and rendered once per language, version and format, and kept (sempre.api_schema).
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its initialiser as a script file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("config.api_urls")),
    path("projects/", include("microprojects.urls")),
    # The field app's service worker and manifest sit at the root: a service worker controls the
    # pages under its own path (docs/offline.md).
    path("sw.js", microprojects.offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", microprojects.offline.manifest, name="web-manifest"),
    path("accelerator/", include("accelerator.urls")),
    path("reports/", include("reports.urls")),
    path("programme/", include("programme.urls")),
    path("exchange/", include("exchange.urls")),
    path("stories/", include("toolkit.stories.urls")),
    path("c/story/", include("toolkit.stories.public_urls")),
    path("c/", include("toolkit.cocreation.public_urls")),
    path("co-creation/", include("toolkit.cocreation.urls")),
    path("", include("toolkit.urls")),
    path("", include("sempre.urls")),
]

# No route serves MEDIA_ROOT, not even with DEBUG on: report files leave only through the download
# views, which check permission and write the audit line each time (issue #19, docs/security.md).
