"""API: invites and the moderation of client contributions (thin; the services decide).

GET|POST /tools/{id}/invites/, GET /invites/{id}/, POST /invites/{id}/revoke/,
POST /invites/{id}/replace-link/ (a new token and link; the old link stops working),
GET /contributions/?status=pending&tool=&language=, GET /contributions/{id}/,
POST /contributions/{id}/accept/ (optional edited "text"), POST /contributions/{id}/reject/,
POST /contributions/{id}/reconsider/ ({"status": "pending"|"accepted"}, optional edited "text").
The public client pages are HTML forms, not API.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sempre.api_support import IdFilter

from .models import Contribution, Invite
from .selectors import contribution_list, invite_list, invites_visible_to, tools_open_to
from .services import (
    contribution_accept,
    contribution_reconsider,
    contribution_reject,
    invite_create,
    invite_replace_link,
    invite_revoke,
)


class InviteSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=["open", "full", "expired", "revoked"], read_only=True)
    tool = serializers.PrimaryKeyRelatedField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True, default=0)
    accepted_count = serializers.IntegerField(read_only=True, default=0)
    block_keys = serializers.ListField(child=serializers.CharField(max_length=60), required=False)

    class Meta:
        model = Invite
        fields = [
            "id",
            "tool",
            "label",
            "language",
            "block_keys",
            "expires_at",
            "max_contributions",
            "contribution_count",
            "pending_count",
            "accepted_count",
            "state",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = ["contribution_count", "revoked_at", "created_at"]
        extra_kwargs = {"expires_at": {"required": False}, "language": {"required": False}}


class NewInviteSerializer(InviteSerializer):
    """The answer to creating an invite: the only time the token and link are given out."""

    token = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta(InviteSerializer.Meta):
        fields = [*InviteSerializer.Meta.fields, "token", "url"]


class ContributionSerializer(serializers.ModelSerializer):
    invite_label = serializers.CharField(source="invite.label", read_only=True, default="")
    moderated_by = serializers.StringRelatedField(allow_null=True)  # null until moderated
    typed_by = serializers.StringRelatedField(allow_null=True)  # null unless typed on behalf

    class Meta:
        model = Contribution
        fields = [
            "id",
            "tool",
            "invite",
            "invite_label",
            "block_key",
            "text",
            "language",
            "pseudonym",
            "status",
            "consent_version",
            "consent_at",
            "is_on_behalf",
            "typed_by",
            "moderated_by",
            "moderated_at",
            "moderation_note",
            "entry",
            "outcome",
            "intervention",
            "created_at",
        ]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=False, max_length=2000)


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ReconsiderSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Contribution.Status.PENDING, Contribution.Status.ACCEPTED],
        required=False,
        default=Contribution.Status.PENDING,
    )
    text = serializers.CharField(required=False, allow_blank=False, max_length=2000)


class ContributionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Contribution.Status.choices)
    tool = IdFilter(field_name="tool_id")
    invite = IdFilter(field_name="invite_id")
    block_key = django_filters.CharFilter()
    language = django_filters.ChoiceFilter(choices=Contribution._meta.get_field("language").choices)

    class Meta:
        model = Contribution
        fields = ["status", "tool", "invite", "block_key", "language"]


class ToolInviteList(generics.ListCreateAPIView):
    serializer_class = InviteSerializer
    filter_backends: list = []

    def get_tool(self):
        return get_object_or_404(tools_open_to(self.request.user), pk=self.kwargs["tool_id"])

    def get_queryset(self):
        return invite_list(self.request.user, tool=self.get_tool())

    @extend_schema(responses={201: NewInviteSerializer})
    def post(self, request, *args, **kwargs):
        tool = self.get_tool()
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invite, token = invite_create(
            tool=tool,
            by=request.user,
            label=data["label"],
            language=data.get("language", ""),
            block_keys=data.get("block_keys", ()),
            expires_at=data.get("expires_at"),
            max_contributions=data.get("max_contributions"),
        )
        invite.token = token
        invite.url = request.build_absolute_uri(reverse("contribute:start", args=[token]))
        return Response(NewInviteSerializer(invite).data, status=status.HTTP_201_CREATED)


class InviteDetail(generics.RetrieveAPIView):
    serializer_class = InviteSerializer

    def get_queryset(self):
        return invite_list(self.request.user)


class InviteRevoke(APIView):
    @extend_schema(request=None, responses=InviteSerializer)
    def post(self, request, pk):
        invite = get_object_or_404(invites_visible_to(request.user), pk=pk)
        invite_revoke(invite=invite, by=request.user)
        return Response(InviteSerializer(invite_list(request.user).get(pk=pk)).data)


class InviteReplaceLink(APIView):
    """A new link for a lost one: the answer holds the new token and link, this once."""

    @extend_schema(request=None, responses=NewInviteSerializer)
    def post(self, request, pk):
        invite = get_object_or_404(invites_visible_to(request.user), pk=pk)
        invite, token = invite_replace_link(invite=invite, by=request.user)
        invite = invite_list(request.user).get(pk=pk)
        invite.token = token
        invite.url = request.build_absolute_uri(reverse("contribute:start", args=[token]))
        return Response(NewInviteSerializer(invite).data)


class ContributionList(generics.ListAPIView):
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilter
    ordering_fields = ["created_at", "status"]
    search_fields = ["text", "pseudonym"]

    def get_queryset(self):
        return contribution_list(self.request.user)


class ContributionDetail(generics.RetrieveAPIView):
    serializer_class = ContributionSerializer

    def get_queryset(self):
        return contribution_list(self.request.user)


class ContributionAccept(APIView):
    @extend_schema(request=AcceptSerializer, responses=ContributionSerializer)
    def post(self, request, pk):
        contribution = get_object_or_404(contribution_list(request.user), pk=pk)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = contribution_accept(
            contribution=contribution, by=request.user, text=serializer.validated_data.get("text")
        )
        return Response(ContributionSerializer(contribution_list(request.user).get(pk=contribution.pk)).data)


class ContributionReject(APIView):
    @extend_schema(request=RejectSerializer, responses=ContributionSerializer)
    def post(self, request, pk):
        contribution = get_object_or_404(contribution_list(request.user), pk=pk)
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = contribution_reject(
            contribution=contribution, by=request.user, note=serializer.validated_data["note"]
        )
        return Response(ContributionSerializer(contribution_list(request.user).get(pk=contribution.pk)).data)


class ContributionReconsider(APIView):
    @extend_schema(request=ReconsiderSerializer, responses=ContributionSerializer)
    def post(self, request, pk):
        contribution = get_object_or_404(contribution_list(request.user), pk=pk)
        serializer = ReconsiderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = contribution_reconsider(
            contribution=contribution,
            by=request.user,
            status=serializer.validated_data["status"],
            text=serializer.validated_data.get("text"),
        )
        return Response(ContributionSerializer(contribution_list(request.user).get(pk=contribution.pk)).data)


urlpatterns = [
    path("tools/<int:tool_id>/invites/", ToolInviteList.as_view(), name="tool-invites"),
    path("invites/<int:pk>/", InviteDetail.as_view(), name="invite-detail"),
    path("invites/<int:pk>/revoke/", InviteRevoke.as_view(), name="invite-revoke"),
    path("invites/<int:pk>/replace-link/", InviteReplaceLink.as_view(), name="invite-replace-link"),
    path("contributions/", ContributionList.as_view(), name="contribution-list"),
    path("contributions/<int:pk>/", ContributionDetail.as_view(), name="contribution-detail"),
    path("contributions/<int:pk>/accept/", ContributionAccept.as_view(), name="contribution-accept"),
    path("contributions/<int:pk>/reject/", ContributionReject.as_view(), name="contribution-reject"),
    path(
        "contributions/<int:pk>/reconsider/", ContributionReconsider.as_view(), name="contribution-reconsider"
    ),
]
