"""Settings for the Lighthouse bench's gunicorn (bench/lighthouse.py): production's, run with
SEMPRE_ENV=production, but with static files collected into the run's own temporary folder.

What plain http on 127.0.0.1 needs (no redirect to https) is set in the environment by
bench/lighthouse.py (DJANGO_SECURE_SSL_REDIRECT=0), not here: production stays as it is.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403 - production's settings, unchanged but for STATIC_ROOT and logging

STATIC_ROOT = Path(os.environ["SEMPRE_BENCH_STATIC_ROOT"])
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
