"""Development server: ASGI runserver (HTTP + WebSocket) plus the background task worker beside it."""

import subprocess
import sys


def main(host: str, port: str) -> int:
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])  # noqa: S603
    try:
        return subprocess.call([sys.executable, "manage.py", "runserver", f"{host}:{port}"])  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
