from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, panels):
    """Render `panels` (from Page.panels_for) one after the other, each with the page's context plus
    its own."""
    engine = context.template.engine
    parts = []
    for panel, extra in panels:
        with context.push(extra):
            parts.append(engine.get_template(panel.template).render(context))
    return mark_safe("".join(parts))  # noqa: S308 (each part is a rendered, autoescaped template)
