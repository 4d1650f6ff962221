"""Core API: API tokens and organisations."""

import logging

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import SimpleRateThrottle

from .api_support import RulesPermission
from .http import client_ip
from .models import ApiToken, Organisation
from .selectors import organisations_visible_to
from .tokens import (
    NAME_LENGTH,
    api_token_issue,
    api_token_rename,
    api_token_revoke,
    api_tokens_revoke_all,
    api_tokens_visible_to,
)

logger = logging.getLogger(__name__)


class TokenRequestThrottle(SimpleRateThrottle):
    """Asking for a token: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"] per client address
    (sempre.http.client_ip, as for login throttling). Answers 429 with Retry-After. A cache outage
    lets requests through (logged), as the /c/ limits do: django-axes still guards the passwords."""

    scope = "token"

    def get_rate(self):
        # Read on each request (DRF reads its rates once, at import), so a setting change applies.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # any cache backend error: signing in must still work
            logger.warning("Throttle cache unavailable; token requests not limited", exc_info=True)
            return True


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=NAME_LENGTH,
        required=False,
        allow_blank=True,
        help_text="What the token is for (the program using it), to recognise it in your list.",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    starts_with = serializers.CharField(read_only=True, help_text="The token's first 8 characters.")
    is_current = serializers.SerializerMethodField(help_text="Whether this request signed in with it.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "starts_with", "created", "expiry", "is_current"]
        read_only_fields = ["created", "expiry"]

    def get_is_current(self, token) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Send it as `Authorization: Token <token>`.")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class TokenView(viewsets.ViewSet):
    """POST a username and password for a new API token; send it as `Authorization: Token <t>`.
    It ends after SEMPRE_API_TOKEN_DAYS days (`expiry`), when the password changes, or when it is
    revoked. DELETE with that header revokes the token in use.

    Answers 400 naming the missing field, or `non_field_errors` when the credentials are wrong;
    429 with Retry-After after too many requests from one address, or while the user name is
    locked out after failed logins (django-axes).
    """

    # Asking for a token needs the username and password alone, even when a stale token header or a
    # browser session comes along (no session: a logged-in browser needs no CSRF token here).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def get_authenticators(self):
        if self.request is not None and self.request.method == "DELETE":
            from knox.auth import TokenAuthentication

            return [TokenAuthentication()]
        return []

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_throttles(self):
        return [TokenRequestThrottle()] if self.request.method == "POST" else []

    @extend_schema(request=TokenRequestSerializer, responses=NewApiTokenSerializer)
    def create(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                raise exceptions.Throttled(
                    wait=cool_off.total_seconds() if cool_off else None,
                    detail=_("Too many failed logins: this user name is locked for a while."),
                )
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        token, token.token = api_token_issue(user=user, name=data.get("name", ""), request=request)
        return Response(NewApiTokenSerializer(token, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def destroy_current(self, request):
        api_token_revoke(token=request.auth, by=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One's own API tokens that have not ended: list, rename (PATCH `name`), revoke (DELETE), or
    revoke them all (POST revoke-all). Nobody sees another person's tokens (404)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [RulesPermission]
    lookup_value_converter = "int"
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def get_queryset(self):
        return api_tokens_visible_to(self.request.user).order_by("-created", "-id")

    def perform_update(self, serializer):
        api_token_rename(
            token=serializer.instance, by=self.request.user, name=serializer.validated_data.get("name", "")
        )

    def perform_destroy(self, instance):
        api_token_revoke(token=instance, by=self.request.user, request=self.request)

    @extend_schema(
        request=None,
        responses=inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="revoke-all")
    def revoke_all(self, request):
        """Revoke every API token of yours, the one in use included."""
        revoked = api_tokens_revoke_all(user=request.user, reason="revoked", request=request)
        return Response({"revoked": revoked})


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
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path(
        "auth/token/",
        TokenView.as_view({"post": "create", "delete": "destroy_current"}),
        name="auth-token",
    ),
    *router.urls,
]
