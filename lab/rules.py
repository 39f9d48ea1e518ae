"""Who may do what in lab, as django-rules predicates (loaded from ``LabConfig.ready``).

Reading the answers about one encounter is the rule its app registered with the subject
(``may_see_answers``, asked with the object); the overview over every encounter is for staff.
Answering needs no rule: an invitation (by link or to the signed-in person) is what lets one answer.
"""

import rules

from community.rules import is_staff

rules.add_perm("lab.view_feedback_overview", is_staff)
