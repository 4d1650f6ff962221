"""Theory of Change endpoints: outcomes, the links between them, interventions and assumptions
(`/tools/{id}/outcomes/` ... and `/outcomes/{id}/` ...)."""

from rest_framework.decorators import action

from .. import services
from ..models import Assumption, CausalLink, Intervention, Outcome
from .common import ElementViewSet, ToolElementsMixin, nested_schema
from .serializers import AssumptionSerializer, InterventionSerializer, LinkSerializer, OutcomeSerializer


class TheoryOfChangeToolActions(ToolElementsMixin):
    """A Theory of Change's elements, as part of the tool's viewset."""

    @nested_schema(OutcomeSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=OutcomeSerializer)
    def outcomes(self, request, pk=None):
        return self.nested(
            request,
            serializer_class=OutcomeSerializer,
            items=lambda instance: instance.outcomes.all(),
            create=lambda instance, data, version: services.outcome_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                level=data.get("level", Outcome.Level.EARLY),
                above_ceiling=data.get("above_ceiling"),
                indicators=data.get("indicators", ()),
            ),
        )

    @nested_schema(LinkSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=LinkSerializer)
    def links(self, request, pk=None):
        return self.nested(
            request,
            serializer_class=LinkSerializer,
            items=lambda instance: instance.links.all(),
            create=lambda instance, data, version: services.link_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                source=data["source"],
                target=data["target"],
                rationale=data.get("rationale", ""),
                kind=data.get("kind", CausalLink.Kind.CAUSAL),
            ),
        )

    @nested_schema(InterventionSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=InterventionSerializer)
    def interventions(self, request, pk=None):
        return self.nested(
            request,
            serializer_class=InterventionSerializer,
            items=lambda instance: instance.interventions.all(),
            create=lambda instance, data, version: services.intervention_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                outputs=data.get("outputs", ""),
                outcomes=data.get("outcomes", ()),
            ),
        )

    @nested_schema(AssumptionSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=AssumptionSerializer)
    def assumptions(self, request, pk=None):
        return self.nested(
            request,
            serializer_class=AssumptionSerializer,
            items=lambda instance: instance.assumptions.all(),
            create=lambda instance, data, version: services.assumption_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                link=data.get("link"),
                outcome=data.get("outcome"),
                status=data.get("status", Assumption.Status.UNTESTED),
            ),
        )


class OutcomeViewSet(ElementViewSet):
    serializer_class = OutcomeSerializer
    model = Outcome

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators")

    def update_element(self, outcome, data, version):
        return services.outcome_update(
            outcome=outcome,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            level=data.get("level"),
            above_ceiling=data.get("above_ceiling"),
            indicators=data.get("indicators"),
        )

    def delete_element(self, outcome, version):
        services.outcome_delete(outcome=outcome, by=self.request.user, expected_version=version)


class LinkViewSet(ElementViewSet):
    serializer_class = LinkSerializer
    model = CausalLink

    def update_element(self, link, data, version):
        return services.link_update(
            link=link,
            by=self.request.user,
            expected_version=version,
            rationale=data.get("rationale"),
            kind=data.get("kind"),
        )

    def delete_element(self, link, version):
        services.link_delete(link=link, by=self.request.user, expected_version=version)


class InterventionViewSet(ElementViewSet):
    serializer_class = InterventionSerializer
    model = Intervention

    def get_queryset(self):
        return super().get_queryset().prefetch_related("outcomes")

    def update_element(self, intervention, data, version):
        return services.intervention_update(
            intervention=intervention,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            outputs=data.get("outputs"),
            outcomes=data.get("outcomes"),
        )

    def delete_element(self, intervention, version):
        services.intervention_delete(
            intervention=intervention, by=self.request.user, expected_version=version
        )


class AssumptionViewSet(ElementViewSet):
    serializer_class = AssumptionSerializer
    model = Assumption

    def update_element(self, assumption, data, version):
        return services.assumption_update(
            assumption=assumption,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            status=data.get("status"),
            link=data.get("link", services.UNSET),
            outcome=data.get("outcome", services.UNSET),
        )

    def delete_element(self, assumption, version):
        services.assumption_delete(assumption=assumption, by=self.request.user, expected_version=version)
