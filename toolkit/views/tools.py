"""A project's tools, the tool page itself (rename, complete, delete), the templates and PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microprojects.selectors import projects_visible_to
from sempre.rules import require

from .. import services
from ..export import blank_pdf, tool_pdf
from ..forms import ToolCreateForm, ToolUpdateForm
from ..selectors import templates_available, tools_changed_last, tools_of_project
from ..services import VersionConflict
from .common import error_messages, render_tool, tool_or_404, tool_to_change, write

RECENT_TOOLS_LENGTH = 6


@login_required
@require_http_methods(["GET", "POST"])
def project_tools(request, project_id):
    project = get_object_or_404(projects_visible_to(request.user), pk=project_id)
    can_create = request.user.has_perm("toolkit.add_toolinstance", project)
    form = ToolCreateForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "toolkit.add_toolinstance", project)
        if form.is_valid():
            try:
                instance = services.tool_create(
                    project=project,
                    template=form.cleaned_data["template"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The tool was created."))
                return redirect("toolkit:tool", pk=instance.pk)
    tools = tools_of_project(request.user, project)
    return render(
        request,
        "toolkit/project_tools.html",
        {
            "project": project,
            "tools": tools,
            "form": form,
            "can_create": can_create,
            "templates": templates_available(),
        },
    )


@login_required
@require_GET
def project_tools_panel(request, project_id):
    """The tools part of the project page (loaded by htmx, so the page's own queries stay fixed)."""
    project = get_object_or_404(projects_visible_to(request.user), pk=project_id)
    tools = tools_of_project(request.user, project)
    return render(
        request,
        "toolkit/_project_tools_panel.html",
        {
            "project": project,
            "tools": tools,
            "can_create": request.user.has_perm("toolkit.add_toolinstance", project),
        },
    )


@login_required
@require_GET
def recent_tools_panel(request):
    """The dashboard's list of the tools changed last in the user's organisations."""
    tools = tools_changed_last(request.user, limit=RECENT_TOOLS_LENGTH)
    return render(request, "toolkit/_recent_tools_panel.html", {"tools": tools})


@login_required
@require_GET
def tool_detail_view(request, pk):
    return render_tool(request, pk)


@login_required
@require_POST
def tool_update_view(request, pk):
    instance = tool_to_change(request, pk)
    form = ToolUpdateForm(request.POST)
    if not form.is_valid():
        return render_tool(request, pk, status=400, errors=[_("Please choose a status.")])
    return write(
        request,
        instance,
        lambda: services.tool_update(
            instance=instance,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
        ),
        focus="tool-status",
    )


@login_required
@require_POST
def tool_delete_view(request, pk):
    instance = tool_to_change(request, pk)
    project_id = instance.project_id
    try:
        services.tool_delete(instance=instance, by=request.user, expected_version=request.POST.get("version"))
    except VersionConflict as conflict:
        return render_tool(request, pk, status=409, conflict=str(conflict))
    except ValidationError as error:
        return render_tool(request, pk, status=400, errors=error_messages(error))
    messages.success(request, _("The tool was deleted."))
    return redirect("toolkit:project-tools", project_id=project_id)


@login_required
@require_GET
def export_pdf(request, pk):
    instance = tool_or_404(request, pk)
    response = HttpResponse(tool_pdf(instance), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tool-{instance.pk}-v{instance.version}.pdf"'
    return response


@login_required
@require_GET
def blank_pdf_view(request, slug):
    template = get_object_or_404(templates_available(), slug=slug)
    response = HttpResponse(blank_pdf(template), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{template.slug}-blank.pdf"'
    return response


@login_required
@require_GET
def templates_view(request):
    return render(request, "toolkit/templates.html", {"templates": templates_available()})
