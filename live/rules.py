import rules

from community.rules import is_staff

rules.add_perm("live.publish_health", is_staff)
