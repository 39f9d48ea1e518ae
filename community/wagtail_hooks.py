"""People and places in the Wagtail admin: admins and staff configure kernen, councils, staff faces."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet, SnippetViewSetGroup

from community import services
from community.models import CallbackRequest, CouncilMembership, HelpTopic, Kern, ServicePromise, StaffProfile


# Every admin write goes through a service that asks the rule (docs/decisions/0013-one-meaning-of-may.md):
# the generic views' save_instance()/delete_action() call it instead of saving the model themselves.
def _service_views(save, delete, *, m2m=()):
    """Create, edit and delete views whose writes are ``save(actor, obj, **m2m)`` and ``delete(actor, obj)``."""

    def save_instance(self):
        extra = {name: self.form.cleaned_data.get(name) for name in m2m}
        return save(self.request.user, self.form.instance, **extra)

    def delete_action(self):
        delete(self.request.user, self.object)

    create = type("ServiceCreateView", (CreateView,), {"save_instance": save_instance})
    edit = type("ServiceEditView", (EditView,), {"save_instance": save_instance})
    remove = type("ServiceDeleteView", (DeleteView,), {"delete_action": delete_action})
    return create, edit, remove


KernCreateView, KernEditView, KernDeleteView = _service_views(
    lambda actor, obj: services.save_kern(actor=actor, kern=obj),
    lambda actor, obj: services.delete_kern(actor=actor, kern=obj))
CouncilCreateView, CouncilEditView, CouncilDeleteView = _service_views(
    lambda actor, obj: services.appoint_council_member(actor=actor, membership=obj),
    lambda actor, obj: services.end_council_membership(actor=actor, membership=obj))
StaffCreateView, StaffEditView, StaffDeleteView = _service_views(
    lambda actor, obj, **m2m: services.save_staff_profile(actor=actor, profile=obj, **m2m),
    lambda actor, obj: services.delete_staff_profile(actor=actor, profile=obj), m2m=("topics", "kernen"))
PromiseCreateView, PromiseEditView, PromiseDeleteView = _service_views(
    lambda actor, obj: services.save_service_promise(actor=actor, promise=obj),
    lambda actor, obj: services.delete_service_promise(actor=actor, promise=obj))
TopicCreateView, TopicEditView, TopicDeleteView = _service_views(
    lambda actor, obj: services.save_help_topic(actor=actor, topic=obj),
    lambda actor, obj: services.delete_help_topic(actor=actor, topic=obj))


class CallbackEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.handle_callback(actor=self.request.user, callback=self.object, status=data["status"],
                                        note=data.get("staff_note") or "")


class CallbackDeleteView(DeleteView):
    def delete_action(self):
        services.delete_callback(actor=self.request.user, callback=self.object)


class KernViewSet(SnippetViewSet):
    model = Kern
    add_view_class, edit_view_class, delete_view_class = KernCreateView, KernEditView, KernDeleteView
    icon = "home"
    menu_label = _("Kernen")
    list_display = ["name", "council_name", "postcode_prefix"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("latitude"), FieldPanel("longitude"),
              FieldPanel("postcode_prefix"), FieldPanel("council_name"), FieldPanel("council_email")]


class CouncilMembershipViewSet(SnippetViewSet):
    model = CouncilMembership
    add_view_class, edit_view_class, delete_view_class = CouncilCreateView, CouncilEditView, CouncilDeleteView
    icon = "group"
    menu_label = _("Dorpsraden")
    list_display = ["user", "kern", "role", "since"]
    list_filter = ["kern", "role"]
    panels = [FieldPanel("user"), FieldPanel("kern"), FieldPanel("role"), FieldPanel("since")]


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    add_view_class, edit_view_class, delete_view_class = StaffCreateView, StaffEditView, StaffDeleteView
    icon = "user"
    menu_label = _("Medewerkers met een gezicht")
    list_display = ["user", "job_title", "is_public"]
    panels = [FieldPanel("user"), FieldPanel("job_title"), FieldPanel("introduction"), FieldPanel("photo"),
              FieldPanel("photo_alt"), FieldPanel("topics"), FieldPanel("kernen"), FieldPanel("public_phone"),
              FieldPanel("public_email"), FieldPanel("is_public"), FieldPanel("sort_order")]


class HelpTopicViewSet(SnippetViewSet):
    model = HelpTopic
    add_view_class, edit_view_class, delete_view_class = TopicCreateView, TopicEditView, TopicDeleteView
    icon = "help"
    menu_label = _("Onderwerpen")
    panels = [FieldPanel("name"), FieldPanel("slug")]


class CallbackRequestViewSet(SnippetViewSet):
    model = CallbackRequest
    edit_view_class, delete_view_class = CallbackEditView, CallbackDeleteView
    icon = "mail"
    menu_label = _("Terugbelverzoeken")
    list_display = ["name", "phone", "kern", "topic", "status", "created_at"]
    list_filter = ["status", "kern"]
    # handle_callback assigns the request to whoever changes its status
    panels = [FieldPanel("status"), FieldPanel("staff_note")]


class ServicePromiseViewSet(SnippetViewSet):
    model = ServicePromise
    add_view_class, edit_view_class, delete_view_class = PromiseCreateView, PromiseEditView, PromiseDeleteView
    icon = "time"
    menu_label = _("Servicebeloftes")
    list_display = ["channel", "working_days"]
    panels = [FieldPanel("channel"), FieldPanel("working_days")]


class CommunityGroup(SnippetViewSetGroup):
    menu_label = _("Mensen en plaatsen")
    menu_icon = "group"
    menu_order = 200
    items = (KernViewSet, CouncilMembershipViewSet, StaffProfileViewSet, HelpTopicViewSet, CallbackRequestViewSet,
             ServicePromiseViewSet)


register_snippet(CommunityGroup)


@hooks.register("register_admin_menu_item")
def staff_desk_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Bureau: terugbellen"), "/bureau/", icon_name="mail", order=210)
