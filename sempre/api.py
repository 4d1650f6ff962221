"""Core API: token login and organisations."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from . import audit
from .api_support import RulesPermission
from .models import Organisation
from .privacy import token_revoke
from .selectors import organisations_visible_to


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token; send it as `Authorization: Token <t>`.
    DELETE with that header revokes the token (the next POST issues a new one).

    Answers 400 naming the missing field, or `non_field_errors` when the credentials are wrong.
    """

    # No session authentication here: a browser that is logged in must not need a CSRF token to
    # ask for an API token with a username and password.
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.AllowAny]

    def perform_authentication(self, request):
        # Only DELETE acts on a token; asking for one (POST) needs the username and password
        # alone, even when a stale token header comes along.
        if request.method == "DELETE":
            super().perform_authentication(request)

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        token = Token.objects.select_related("user").filter(key=response.data.get("token")).first()
        if token is not None:
            audit.record(actor=token.user, action=audit.TOKEN_ISSUED, request=request)
        return response

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        token_revoke(user=request.user, request=request)
        return Response(status=204)


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "country", "region", "kind"]


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Organisations one belongs to (coordinators: all)."""

    serializer_class = OrganisationSerializer
    permission_classes = [RulesPermission]
    lookup_value_converter = "int"
    search_fields = ["name", "region"]
    ordering_fields = ["name", "country"]
    filterset_fields = ["country", "kind"]

    def get_queryset(self):
        return organisations_visible_to(self.request.user).order_by("name")


router = SimpleRouter(use_regex_path=False)
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
