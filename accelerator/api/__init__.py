"""Accelerator API: rounds, criteria, applications, assignments, reviews, ranking, portfolio,
decisions and start-ups. Thin: serializers shape, services decide, selectors scope (404 for what
one may not see), `accelerator.rules` permissions decide who may act.

By topic: `rounds` (a round and what is run from it), `applications` (applications, assignments,
reviews), `startups`."""

from rest_framework.routers import SimpleRouter

from .applications import ApplicationViewSet, AssignmentViewSet, ReviewViewSet
from .rounds import RoundViewSet
from .startups import StartUpViewSet

router = SimpleRouter()
router.register("rounds", RoundViewSet, basename="round")
router.register("applications", ApplicationViewSet, basename="application")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("reviews", ReviewViewSet, basename="review")
router.register("startups", StartUpViewSet, basename="startup")

urlpatterns = router.urls
