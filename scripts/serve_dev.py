"""Development server: ASGI runserver (HTTP + WebSocket), the background task worker and the scheduler."""

import subprocess
import sys


def main(host: str, port: str) -> int:
    helpers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"]),  # noqa: S603
        subprocess.Popen([sys.executable, "manage.py", "run_schedule"]),  # noqa: S603
    ]
    try:
        return subprocess.call([sys.executable, "manage.py", "runserver", f"{host}:{port}"])  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            helper.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
