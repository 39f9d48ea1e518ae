from django.db import connection
from django.http import HttpResponse, JsonResponse


def bare(request):
    """The benchmark's yardstick: the cheapest response the full middleware stack can give."""
    return HttpResponse("ok")


def healthz(request):
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
