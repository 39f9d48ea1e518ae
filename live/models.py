"""Persisted live events: every event that matters gets an increasing sequence number per stream.

A stream is a named group ("health", "thread.42", "workshop.7"). A client that reconnects sends the
last sequence number it saw and receives what it missed from here, before live events resume.
"""

from django.db import models


class StreamCounter(models.Model):
    """The last sequence number handed out in one stream; locked while the next one is taken."""

    stream = models.CharField(max_length=120, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.stream}@{self.last_seq}"


class LiveEvent(models.Model):
    stream = models.CharField(max_length=120)
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    # What the event is about ("comment:42"): when that object changes, its stored events are
    # rewritten to what a fresh fetch shows now, so that replay never sends text that is gone.
    subject = models.CharField(max_length=120, blank=True, default="")
    # The idempotency key of the write that caused the event (a retried edit is recognised by it).
    client_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stream", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="unique_event_seq_per_stream")]
        indexes = [models.Index(fields=["stream", "subject"], name="live_event_stream_subject")]

    def __str__(self):
        return f"{self.stream}#{self.seq} {self.type}"

    def as_message(self) -> dict:
        return {"type": self.type, "stream": self.stream, "seq": self.seq, "data": self.payload}
