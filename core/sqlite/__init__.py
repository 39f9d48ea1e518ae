"""Django's SQLite backend with a connection pool per process (``make run``, tests): see ``base``."""
