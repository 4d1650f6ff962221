"""Settings for the benchmark's gunicorn: the platform's own settings plus the floor views.

The floors (bench/floor.py) answer the same rows as the measured pages from one raw SQL query
serialised with the standard json module; config/urls.py is left untouched.
"""

from config.settings import *  # noqa: F403 - the platform's settings, unchanged but for the URLconf

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Logging of every request to the console would be part of what is measured; keep warnings only,
# and of the requests only server errors (section 1 tries every API route, many answer 404 or 405).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
