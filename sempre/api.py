"""Core API: token login and organisations."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from microprojects.selectors import organisations_visible_to

from .models import Organisation


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token; send it as `Authorization: Token <t>`."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "country", "region", "kind"]


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer
    search_fields = ["name", "region"]
    ordering_fields = ["name", "country"]
    filterset_fields = ["country", "kind"]

    def get_queryset(self):
        return organisations_visible_to(self.request.user).order_by("name")


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
