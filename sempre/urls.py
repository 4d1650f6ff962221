from django.http import HttpResponse
from django.urls import path

from . import views
from .notifications import views as notification_views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("audit/", views.audit_log, name="audit"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/users/<int:pk>/export.json", views.privacy_export, name="privacy-export"),
    path("privacy/users/<int:pk>/erase/", views.privacy_erase, name="privacy-erase"),
    path("account/", views.account, name="account"),
    path("account/api-token/", views.api_token, name="api-token"),
    path("account/api-token/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("account/sessions/", views.account_sessions, name="account-sessions"),
    path("account/sessions/<int:pk>/end/", views.account_session_end, name="account-session-end"),
    path("account/sessions/end-all/", views.account_sign_out_everywhere, name="account-sign-out-everywhere"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_mark_read, name="notifications-read"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path("account/notifications/", notification_views.notification_choices, name="notification-choices"),
    path("account/calendar/", notification_views.calendar_link, name="calendar-link"),
    path("calendar/<slug:token>.ics", notification_views.calendar_feed, name="calendar-feed"),
]
