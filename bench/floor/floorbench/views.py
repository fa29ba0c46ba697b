import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from floorbench.models import Row


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> JsonResponse:
    """Parse the same JSON body LAPOR's intake takes and insert one row: the framework's floor."""
    data = json.loads(request.body)
    row = Row.objects.create(title=data.get("title", "")[:200], body=data.get("body", ""))
    return JsonResponse({"id": row.pk}, status=201)
