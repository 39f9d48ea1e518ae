from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"

    def ready(self):
        from voting import poll_rules  # noqa: F401  (the poll rules voting/rules.py lacks)
        from voting.clock import follow_the_clock
        from voting.notification_kinds import register_kinds

        register_kinds()
        follow_the_clock()  # kept pages change when a ballot box opens or closes
