from django import template

from transfo.workspace import panels

register = template.Library()


@register.inclusion_tag("admin/workspace_panels.html", takes_context=True)
def workspace_panels(context):
    return {**panels(context["request"].user), "request": context["request"]}
