"""The one notification mechanism every app uses: ``notify`` (after commit), ``resolve``, e-mail and digests.

- ``kinds``: what can be told, registered by the app that tells it (text, audience, default delivery).
- ``services``: creating, resolving and reading notifications; the live unread count.
- ``email``: e-mail at once and daily/weekly digests, in the reader's language, with one-click unsubscribe.
"""
