from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, shown):
    """Render one Mijn Samenlab section (``community.dashboard.Shown``) with its own context on top of the page's."""
    with context.push(**shown.context):
        return context.template.engine.get_template(shown.template).render(context)
