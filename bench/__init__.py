"""Load measurements of the real ASGI server: `make bench` runs bench/run.py."""
