"""The public verification page and the published keys; no account needed.

Both read through ``services``: the page and ``GET /api/v1/documents/verify`` give the same
answer and share one rate limit per client address.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tongban.core.clientaddress import client_network

from . import services
from .forms import VerifyForm


@never_cache
@require_GET
def verify(request):
    submitted = "code" in request.GET or "t" in request.GET
    form = VerifyForm(request.GET if submitted else None)
    context = {"form": form, "result": None}
    if not submitted:
        return render(request, "documents/verify.html", context)
    wait = services.verification_wait(client_network(request))
    if wait:
        response = render(request, "documents/verify_limited.html", {"seconds": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        return render(request, "documents/verify.html", context, status=400)
    if form.cleaned_data["code"]:
        result = services.verify_by_code(form.cleaned_data["code"])
    else:
        result = services.verify_token(form.cleaned_data["t"])
    context["result"] = result
    context["form"] = VerifyForm()  # an empty form under the answer, ready for the next code
    return render(request, "documents/verify.html", context)


@require_GET
def published_keys(request):
    response = JsonResponse(services.published_keys())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch it from their own pages
    return response
