"""API for micro projects, their activities, indicators and measurements.

Thin: serializers check the shape of the input, services (`microprojects.services`) apply the
rules and write, selectors (`microprojects.selectors`) decide what one may see (404 otherwise) and
load lists in a fixed number of queries. `RulesPermission` maps each write to a `rules`
permission (403 when one may see but not change).
"""

from rest_framework.routers import SimpleRouter

from .projects import ProjectViewSet, TargetGroupViewSet
from .records import (
    ActivityViewSet,
    IndicatorMeasurementViewSet,
    IndicatorViewSet,
    MeasurementViewSet,
    ProjectActivityViewSet,
    ProjectIndicatorViewSet,
)
from .sync import SYNC_MAX_ENTRIES, SYNC_QUERIES_PER_ENTRY, SyncViewSet

__all__ = ["SYNC_MAX_ENTRIES", "SYNC_QUERIES_PER_ENTRY", "urlpatterns"]

# Path converters rather than regular expressions: ids are integers in the URLs and the schema.
router = SimpleRouter(use_regex_path=False)
router.register("target-groups", TargetGroupViewSet, basename="target-group")
router.register("projects", ProjectViewSet, basename="project")
router.register("projects/<int:project_pk>/activities", ProjectActivityViewSet, basename="project-activity")
router.register("projects/<int:project_pk>/indicators", ProjectIndicatorViewSet, basename="project-indicator")
router.register(
    "indicators/<int:indicator_pk>/measurements",
    IndicatorMeasurementViewSet,
    basename="indicator-measurement",
)
router.register("activities", ActivityViewSet, basename="activity")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("sync", SyncViewSet, basename="sync")

urlpatterns = router.urls
