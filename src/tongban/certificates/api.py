"""/api/v1/certificates: issue a certificate about your own records (session or bearer token),
fetch its PDF, and verify a code — the same answer as ``/verify``, within the same rate limit.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from tongban.accounts.api_auth import StaffTokenAuth
from tongban.core import errors
from tongban.core.clientaddress import client_network
from tongban.core.errors import ApiError
from tongban.documents.api import VerificationOut
from tongban.documents.forms import MAX_TYPED_CODE
from tongban.records import services as records

from . import services
from .kinds import CertificateKind, Channel, Language2

router = Router(tags=["certificates"])
# A token issues certificates only with the "certificates" scope.
CERTIFICATES_SCOPE = "certificates"
AUTH = [StaffTokenAuth(CERTIFICATES_SCOPE), django_auth]


class CertificateIn(Schema):
    kind: CertificateKind
    holder_kind: str | None = Field(
        None, max_length=40, description="Whose records: one of your documents or companies"
    )
    holder_number: str | None = Field(None, max_length=40)
    language2: Language2 | None = Field(None, description="Second language printed beside Chinese")
    # Checked by the service, which answers in the request's language rather than with a 422.
    period_start: str | None = Field(
        None, max_length=20, description="First month, YYYY-MM (with period_end; default: all)"
    )
    period_end: str | None = Field(None, max_length=20, description="Last month, YYYY-MM")
    insurance_type: str | None = Field(
        None, max_length=20, description="Social insurance only: one insurance type (default: all)"
    )


class CertificateOut(Schema):
    number: str
    kind: str
    verification_code: str
    holder_masked: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    pdf_url: str


class VerifyCodeQuery(Schema):
    # The length is checked below, answering in the request's language rather than with a 422.
    code: str | None = Field(
        None, description=f"e.g. 7K2M-9QXD-4HTP (at most {MAX_TYPED_CODE} characters as typed)"
    )


def _user(request: HttpRequest):
    return request.auth if isinstance(request.auth, get_user_model()) else request.user


def _out(document) -> CertificateOut:
    return CertificateOut(
        number=document.number,
        kind=services.certificate_spec(document).kind,
        verification_code=document.display_code,
        holder_masked=document.holder_masked,
        issued_at=document.issued_at,
        valid_until=document.valid_until,
        pdf_url=f"/api/v1/certificates/{document.number}/pdf",
    )


@router.post(
    "",
    auth=AUTH,
    response={201: CertificateOut, 400: ApiError, 401: ApiError, 403: ApiError},
    summary="Issue a certificate about your own records (or a company you are authorised for)",
)
def issue(request: HttpRequest, body: CertificateIn):
    subject = None
    if body.holder_kind or body.holder_number:
        try:
            subject = records.make_subject(body.holder_kind or "", body.holder_number or "")
        except records.InvalidSubject as error:
            raise errors.BadRequest(error.message, code="invalid_holder") from None
    try:
        document = services.issue_certificate(
            _user(request),
            body.kind,
            subject,
            body.language2,
            Channel.API,
            period=(body.period_start, body.period_end),
            insurance_type=body.insurance_type,
        )
    except services.CertificateRefused as refused:
        if refused.permission:
            raise errors.Forbidden(refused.message) from None
        raise errors.BadRequest(refused.message, code="refused") from None
    return Status(201, _out(document))


@router.get(
    "/verify",
    response={200: VerificationOut, 400: ApiError, 429: ApiError},
    summary="Verify a certificate by its verification code (same answer as /verify)",
)
def verify(request: HttpRequest, response: HttpResponse, query: Query[VerifyCodeQuery]):
    wait = services.verification_wait(client_network(request))
    if wait:
        raise errors.TooManyRequests(
            wait,
            _("Too many checks from your address; try again in %(seconds)s seconds.")
            % {"seconds": wait},
        )
    response["Cache-Control"] = "no-store"
    if not query.code:
        raise errors.BadRequest(_("Give a verification code."), code="missing_code")
    if len(query.code) > MAX_TYPED_CODE:
        raise errors.BadRequest(
            _("A verification code has 12 characters; this is far too long."), code="too_long"
        )
    try:
        result = services.verify_code(query.code)
    except services.InvalidCode as problem:
        raise errors.BadRequest(str(problem.message), code="invalid_code") from None
    return VerificationOut(**result.as_dict())


@router.get(
    "/{number}/pdf",
    auth=AUTH,
    response={200: None, 401: ApiError, 404: ApiError},
    summary="The PDF of one of your certificates",
)
def download(request: HttpRequest, number: str):
    try:
        document = services.certificate_for_holder(_user(request), number[:32])
    except LookupError:
        raise errors.NotFound(_("No certificate of yours has this number.")) from None
    response = HttpResponse(services.read_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
