"""Development server: ASGI runserver (HTTP + WebSocket), the background task worker, the scheduler, and the
local stand-in for the municipality's reporting system unless a real one is configured."""

import os
import subprocess
import sys


def main(host: str, port: str) -> int:
    helpers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"]),  # noqa: S603
        subprocess.Popen([sys.executable, "manage.py", "run_schedule"]),  # noqa: S603
    ]
    if not (os.environ.get("SIGNALEN_BASE_URL") and os.environ.get("OPEN311_BASE_URL")):
        helpers.append(subprocess.Popen([sys.executable, "manage.py", "run_signalen_standin"]))  # noqa: S603
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
