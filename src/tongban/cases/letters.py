"""Vouchers and letters a case owes its applicant (§5), issued through the documents app.

受理通知书 (acceptance), 不予受理决定书 (refusal), 补正告知书 (supplement notice) and the
decision letters (approval; denial with reasons and the rights of reconsideration and
litigation). Each is a signed, numbered PDF in Chinese plus the applicant's language, carrying
the QR code to /verify: ``documents.issue_document`` numbers, signs and seals it, and
``documents.pdf`` lays it out — nothing here signs or draws a QR code itself.

The Chinese text is fixed here (the language of the decision); the second language comes from
the translation catalogs, or, for traditional Chinese, from the same text converted with
OpenCC, so a Hong Kong reader never gets an English fallback.

A letter's "holder" in the documents registry is the case (a keyed hash of its number), so the
letters of one case are found by one indexed lookup and issuing twice gives the same letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tongban.core import crypto
from tongban.core.text import to_hong_kong_traditional

from .constants import LetterKind
from .letter_texts import chinese_text, latest_supplement, letter_date, translated_text
from .models import Case

ACTOR = "task:issue_case_letter"
HOLDER_PURPOSE = "case-letter"
ISSUER_ZH = "江门市政务服务数据管理局（通办平台代发）"


@dataclass(frozen=True)
class LetterSpec:
    kind: str  # the documents registry's kind name
    prefix: str  # its number prefix
    title_zh: str
    title: Promise


SPECS: dict[str, LetterSpec] = {
    LetterKind.RECEIPT: LetterSpec("case_receipt", "JMSJ", "收件凭证", _("Receipt of application")),
    LetterKind.ACCEPTANCE: LetterSpec(
        "case_acceptance_notice", "JMSL", "受理通知书", _("Acceptance notice")
    ),
    LetterKind.REFUSAL: LetterSpec(
        "case_refusal_decision", "JMBSL", "不予受理决定书", _("Decision not to accept")
    ),
    LetterKind.SUPPLEMENT: LetterSpec(
        "case_supplement_notice", "JMBZ", "补正告知书", _("Notice of supplements needed")
    ),
    LetterKind.APPROVAL: LetterSpec(
        "case_approval_decision", "JMXK", "准予许可决定书", _("Decision to approve")
    ),
    LetterKind.DENIAL: LetterSpec(
        "case_denial_decision", "JMBXK", "不予许可决定书", _("Decision to deny")
    ),
}
KIND_NAMES = {spec.kind for spec in SPECS.values()}


def register_document_kinds(documents) -> None:
    for spec in SPECS.values():
        documents.register_kind(documents.DocumentKind(spec.kind, spec.title, spec.prefix))


def holder_hash(case: Case) -> str:
    return crypto.lookup_hash(case.number, purpose=HOLDER_PURPOSE)


def _holder_masked(case: Case) -> str:
    document = case.applicant_person.documents.order_by("pk").first()
    masked = document.number_masked if document else ""
    return " · ".join(part for part in (case.number, masked) if part)[:128]


def _languages(case: Case) -> list[str]:
    second = case.applicant_person.preferred_language or "zh-hans"
    return ["zh-hans"] if second == "zh-hans" else ["zh-hans", second]




def letter_payload(case: Case, kind: str) -> dict:
    """What the signature covers: the case, the letter, and the facts the letter states."""
    request = latest_supplement(case) if kind == LetterKind.SUPPLEMENT else None
    return {
        "case": case.number,
        "letter": str(kind),
        "item": case.item.implementation_code,
        "department": case.department.credit_code,
        "status": case.status,
        "round": request.round if request else None,
        "missing": list(request.missing_requirements) + list(request.missing_other)
        if request
        else [],
        "accepted_on": letter_date(case.accepted_at) if case.accepted_at else None,
        "statutory_due": case.statutory_due.isoformat() if case.statutory_due else None,
        "promised_due": case.promised_due.isoformat() if case.promised_due else None,
        "decided_on": letter_date(case.decided_at) if case.decided_at else None,
        "reasons": case.decision_reasons if kind in (LetterKind.REFUSAL, LetterKind.DENIAL) else "",
    }


def _renderer(case: Case, kind: str, spec: LetterSpec):
    from tongban.documents import pdf

    languages = _languages(case)
    texts = [("zh-hans", chinese_text(case, kind))] + [
        (language, translated_text(case, kind, language)) for language in languages[1:]
    ]
    title = spec.title_zh
    if len(languages) > 1:
        second = _translated_title(spec, languages[1])
        title = f"{spec.title_zh} / {second}"

    def render(number: str, code: str, token: str) -> bytes:
        frame = pdf.DocumentFrame(
            title=title,
            subtitle=case.department.name_zh_hans,
            number=number,
            verification_code=code,
            token=token,
            issued_at=timezone.now(),
            languages=languages,
            issuer=ISSUER_ZH,
        )
        story = []
        for index, (language, text) in enumerate(texts):
            if index:
                story.append(pdf.paragraph(" ", language=language))
            story.append(pdf.field_table(text.rows, language=language))
            story += [pdf.paragraph(p, language=language) for p in text.paragraphs]
        return pdf.build_pdf(frame, story)

    return render


def _translated_title(spec: LetterSpec, language: str) -> str:
    if language == "zh-hant":
        return to_hong_kong_traditional(spec.title_zh)
    with translation.override(language):
        return str(spec.title)


# --- Issuing and reading ------------------------------------------------------------------------


def _issued(case: Case, spec: LetterSpec, payload: dict):
    from tongban.documents.models import IssuedDocument

    for document in IssuedDocument.objects.filter(kind=spec.kind, holder_hash=holder_hash(case)):
        if document.record_data.get("round") == payload["round"]:
            return document
    return None


def build_letter(case: Case, letter_kind: str, documents):
    """The ``hooks.letter_builders`` entry: issues the letter once (a second run finds it)."""
    spec = SPECS[letter_kind]
    case = Case.objects.select_related("item", "department", "applicant_person").get(pk=case.pk)
    payload = letter_payload(case, letter_kind)
    existing = _issued(case, spec, payload)
    if existing is not None:
        return existing
    return documents.issue_document(
        spec.kind,
        payload=payload,
        render=_renderer(case, letter_kind, spec),
        holder_hash=holder_hash(case),
        holder_masked=_holder_masked(case),
        valid_until=None,
        actor=ACTOR,
    )


def issue_letter(case: Case, letter_kind: str):
    """Issues now, in this process (the demo and tests; transitions go through the task)."""
    from tongban.documents import services as documents

    return build_letter(case, letter_kind, documents)


def letters_of(case: Case) -> list:
    """The case's issued letters, oldest first (bounded: a case owes only a handful)."""
    from tongban.documents.models import IssuedDocument

    documents = list(
        IssuedDocument.objects.filter(kind__in=KIND_NAMES, holder_hash=holder_hash(case)).order_by(
            "issued_at", "pk"
        )[:50]
    )
    for document in documents:
        document.title = letter_title(document)
    return documents


def letter_title(document) -> str:
    """The letter's name for the reader: its Chinese title, and a translation beside it for a
    reader of another language (never the same title twice)."""
    for spec in SPECS.values():
        if spec.kind == document.kind:
            language = translation.get_language() or ""
            if language.startswith("zh-hant"):
                return to_hong_kong_traditional(spec.title_zh)
            if language.startswith("zh"):
                return spec.title_zh
            return f"{spec.title_zh} · {spec.title}"
    return document.kind


def register_letters() -> None:
    """Called once from ``CasesConfig.ready``."""
    from tongban.documents import services as documents

    from .hooks import letter_builders

    register_document_kinds(documents)
    for kind in SPECS:
        if kind not in letter_builders:
            letter_builders.register(str(kind), build_letter)
