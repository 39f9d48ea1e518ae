"""Django's SQLite backend, keeping closed connections for the next request of this process.

Under ASGI every request runs its synchronous code in a thread of its own, so Django opens a new
database connection per request (and per database hop of a live consumer) and closes it at the end.
A new SQLite connection reads the whole schema before its first query: some 3 ms with this project's
350 tables and indexes, paid by every page, every POST and every live catch-up, in the one thread that
also serves the next request. Closing the last connection also checkpointed and deleted the WAL file,
which the next request created again.

Here a connection that Django closes outside a transaction goes back to a small per-process pool, with
any open transaction rolled back, and the next connection is taken from it: the schema stays read, the
WAL stays. A connection is used by one thread at a time (it leaves the pool when taken); Django already
opens SQLite connections with ``check_same_thread=False``. One closed inside ``atomic`` (Django marks
the wrapper ``closed_in_transaction`` and keeps it) is really closed. PostgreSQL has psycopg's pool
(``DATABASE_POOL_SIZE``); this is the SQLite counterpart (docs/decisions/0018).
"""

import os
import queue
import threading

from django.db.backends.sqlite3 import base

IDLE_CONNECTIONS = 8  # per database file and process: more than one worker thread ever holds at once

_pools: dict[tuple[int, str], queue.LifoQueue] = {}
_pools_lock = threading.Lock()


def _pool(name: str) -> queue.LifoQueue:
    key = (os.getpid(), str(name))  # a forked process starts with no connections of its parent
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = queue.LifoQueue(maxsize=IDLE_CONNECTIONS)
    return pool


def discard_pooled_connections() -> None:
    """Close every idle connection of this process (a test that replaces the database file calls this)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        while True:
            try:
                pool.get_nowait().close()
            except queue.Empty:
                break


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            try:
                return _pool(self.settings_dict["NAME"]).get_nowait()
            except queue.Empty:
                pass
        return super().get_new_connection(conn_params)

    def _close(self):
        if self.connection is None or self.is_in_memory_db() or self.in_atomic_block:
            return super()._close()
        with self.wrap_database_errors:
            if self.connection.in_transaction:
                self.connection.rollback()
            try:
                _pool(self.settings_dict["NAME"]).put_nowait(self.connection)
            except queue.Full:
                self.connection.close()
