from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"

    def ready(self):
        from voting.clock import follow_the_clock
        from voting.notification_kinds import register_kinds

        register_kinds()
        follow_the_clock()  # kept pages change when a ballot box opens or closes
