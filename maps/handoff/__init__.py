"""The hand-off of a triaged observation to the municipality's public-space system.

- ``adapters``: what one melding looks like to Signalen (public API) and to an Open311 GeoReport v2 server;
- ``report``: the adapter-neutral ``Report`` built from an observation;
- ``outbox``: the ``MunicipalReport`` rows (enqueue, send with a lease, retry, status refresh);
- ``standin``: a small local server with Signalen's and Open311's shape, for tests and ``make run``.

Why a melding is never created twice is in docs/decisions/0025-the-hand-off-never-sends-twice.md.
"""
