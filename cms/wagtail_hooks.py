"""The site's pages in the visitor's language (cms.translation)."""

from wagtail import hooks

from cms.translation import localize_page


@hooks.register("before_serve_page")
def show_in_the_visitors_language(page, request, serve_args, serve_kwargs):
    localize_page(page)  # in place: the page keeps its address, kern and children; returns no response
