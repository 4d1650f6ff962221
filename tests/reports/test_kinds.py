"""The registry of report kinds, as the apps fill it from their AppConfig.ready()."""

from reports.kinds import KINDS


def test_the_apps_register_every_kind_in_the_order_of_installed_apps():
    assert list(KINDS) == [
        "project", "programme", "programme_xlsx", "programme_csv",  # microprojects
        "progress_report",  # programme
        "selection", "selection_xlsx", "startups",  # accelerator
        "handbook",  # exchange
    ]  # fmt: skip


def test_each_kind_is_rendered_by_the_app_whose_data_it_shows():
    owners = {name: kind.render.__module__ for name, kind in KINDS.items()}
    assert owners == {
        "project": "microprojects.reports",
        "programme": "microprojects.reports",
        "programme_xlsx": "microprojects.reports",
        "programme_csv": "microprojects.reports",
        "selection": "accelerator.reports",
        "selection_xlsx": "accelerator.reports",
        "startups": "accelerator.reports",
        "progress_report": "programme.progress.reports",
        "handbook": "exchange.reports",
    }
