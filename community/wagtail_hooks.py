"""People and places in the Wagtail admin: admins and staff configure kernen, councils, staff faces."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from community import services
from community.models import CallbackRequest, CouncilMembership, HelpTopic, Kern, StaffProfile


# Every admin write goes through a service that asks the rule (docs/decisions/0013-one-meaning-of-may.md).
class KernCreateView(CreateView):
    def save_instance(self):
        return services.save_kern(actor=self.request.user, kern=self.form.instance)


class KernEditView(EditView):
    def save_instance(self):
        return services.save_kern(actor=self.request.user, kern=self.form.instance)


class CallbackEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.handle_callback(actor=self.request.user, callback=self.object, status=data["status"],
                                        note=data.get("staff_note") or "")


class KernViewSet(SnippetViewSet):
    model = Kern
    add_view_class = KernCreateView
    edit_view_class = KernEditView
    icon = "home"
    menu_label = _("Kernen")
    list_display = ["name", "council_name", "postcode_prefix"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("latitude"), FieldPanel("longitude"),
              FieldPanel("postcode_prefix"), FieldPanel("council_name"), FieldPanel("council_email")]


class CouncilMembershipViewSet(SnippetViewSet):
    model = CouncilMembership
    icon = "group"
    menu_label = _("Dorpsraden")
    list_display = ["user", "kern", "role", "since"]
    list_filter = ["kern", "role"]
    panels = [FieldPanel("user"), FieldPanel("kern"), FieldPanel("role"), FieldPanel("since")]


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("Medewerkers met een gezicht")
    list_display = ["user", "job_title", "is_public"]
    panels = [FieldPanel("user"), FieldPanel("job_title"), FieldPanel("introduction"), FieldPanel("photo"),
              FieldPanel("photo_alt"), FieldPanel("topics"), FieldPanel("kernen"), FieldPanel("public_phone"),
              FieldPanel("public_email"), FieldPanel("is_public"), FieldPanel("sort_order")]


class HelpTopicViewSet(SnippetViewSet):
    model = HelpTopic
    icon = "help"
    menu_label = _("Onderwerpen")
    panels = [FieldPanel("name"), FieldPanel("slug")]


class CallbackRequestViewSet(SnippetViewSet):
    model = CallbackRequest
    edit_view_class = CallbackEditView
    icon = "mail"
    menu_label = _("Terugbelverzoeken")
    list_display = ["name", "phone", "kern", "topic", "status", "created_at"]
    list_filter = ["status", "kern"]
    # handle_callback assigns the request to whoever changes its status
    panels = [FieldPanel("status"), FieldPanel("staff_note")]


class CommunityGroup(SnippetViewSetGroup):
    menu_label = _("Mensen en plaatsen")
    menu_icon = "group"
    menu_order = 200
    items = (KernViewSet, CouncilMembershipViewSet, StaffProfileViewSet, HelpTopicViewSet, CallbackRequestViewSet)


register_snippet(CommunityGroup)


@hooks.register("register_admin_menu_item")
def staff_desk_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Bureau: terugbellen"), "/bureau/", icon_name="mail", order=210)
