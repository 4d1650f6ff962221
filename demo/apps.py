from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo story (`manage.py seed_demo`): data only, no models, imported by no other app."""

    name = "demo"
    verbose_name = "SEMPRE demo data"
