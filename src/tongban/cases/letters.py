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

from .constants import REMEDY_NOTICE, REMEDY_NOTICE_ZH, LetterKind
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


def _date(moment) -> str:
    if moment is None:
        return "—"
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d")


# --- What each letter says ----------------------------------------------------------------------


@dataclass
class LetterText:
    """One language's body: (label, value) rows, then paragraphs."""

    rows: list[tuple[str, str]]
    paragraphs: list[str]


def _latest_supplement(case: Case):
    return case.supplement_requests.order_by("-round").first()


def _missing_names(case: Case, request, language: str) -> list[str]:
    names = []
    if request is None:
        return names
    materials = case.item.materials.filter(pk__in=request.missing_requirements)
    for material in materials.order_by("position"):
        names.append(material.name_zh_hans if language == "zh-hans" else material.localized("name"))
    return names + list(request.missing_other)


def _chinese(case: Case, kind: str) -> LetterText:
    item, person = case.item, case.applicant_person
    rows = [
        ("办件编号", case.number),
        ("申请人", person.display_name),
        ("申请事项", item.name_zh_hans),
        ("实施主体", case.department.name_zh_hans),
        ("收件日期", _date(case.materials_complete_at or case.submitted_at)),
    ]
    paragraphs: list[str] = []
    if kind == LetterKind.ACCEPTANCE:
        rows += [
            ("受理日期", _date(case.accepted_at)),
            ("承诺办结日期", _date(case.promised_due)),
            ("法定办结日期", _date(case.statutory_due)),
        ]
        paragraphs.append(
            "经审查，你（单位）提交的申请材料齐全、符合法定形式，本机关决定予以受理。"
            "办结期限按工作日计算，特别程序所需时间不计算在内。"
        )
        if case.deemed_accepted:
            paragraphs.append(
                "因收到申请材料之日起五个工作日内未告知补正，自收到材料之日起即为受理。"
            )
    elif kind == LetterKind.REFUSAL:
        paragraphs += [
            "经审查，你（单位）的申请不予受理，理由如下：",
            case.decision_reasons,
            REMEDY_NOTICE_ZH,
        ]
    elif kind == LetterKind.SUPPLEMENT:
        request = _latest_supplement(case)
        rows.append(("补正期限", _date(request.due if request else None)))
        paragraphs.append("你（单位）提交的申请材料不齐全或不符合法定形式，请一次性补正下列材料：")
        paragraphs += [
            f"{n}. {name}" for n, name in enumerate(_missing_names(case, request, "zh-hans"), 1)
        ]
        if request is not None and request.note:
            paragraphs.append(f"说明：{request.note}")
        paragraphs.append("补正材料提交后，本机关将依法继续办理。")
    elif kind == LetterKind.APPROVAL:
        rows.append(("决定日期", _date(case.decided_at)))
        result = item.result_name or "审批结果"
        paragraphs.append(
            f"经审查，你（单位）的申请符合法定条件，本机关决定准予许可，核发{result}。"
        )
    elif kind == LetterKind.DENIAL:
        rows.append(("决定日期", _date(case.decided_at)))
        paragraphs += [
            "经审查，你（单位）的申请不符合法定条件，本机关决定不予许可，理由如下：",
            case.decision_reasons,
            REMEDY_NOTICE_ZH,
        ]
    return LetterText(rows, [p for p in paragraphs if p])


def _translated(case: Case, kind: str, language: str) -> LetterText:
    """The same letter in ``language`` (not simplified Chinese)."""
    if language == "zh-hant":
        chinese = _chinese(case, kind)
        convert = to_hong_kong_traditional
        return LetterText(
            [(convert(label), convert(value)) for label, value in chinese.rows],
            [convert(paragraph) for paragraph in chinese.paragraphs],
        )
    item, person = case.item, case.applicant_person
    with translation.override(language):
        rows = [
            (str(_("Case number")), case.number),
            (str(_("Applicant")), person.display_name),
            (str(_("Service")), item.localized("name", language)),
            (str(_("Department")), case.department.localized("name", language)),
            (str(_("Materials received")), _date(case.materials_complete_at or case.submitted_at)),
        ]
        paragraphs: list[str] = []
        if kind == LetterKind.ACCEPTANCE:
            rows += [
                (str(_("Accepted on")), _date(case.accepted_at)),
                (str(_("Promised decision by")), _date(case.promised_due)),
                (str(_("Statutory decision by")), _date(case.statutory_due)),
            ]
            paragraphs.append(
                str(
                    _(
                        "Your materials are complete and in the form the law requires: your "
                        "application is accepted. Time limits count working days; special "
                        "procedures do not count."
                    )
                )
            )
            if case.deemed_accepted:
                paragraphs.append(
                    str(
                        _(
                            "No supplements were asked for within five working days, so the "
                            "application counts as accepted on the day the materials arrived."
                        )
                    )
                )
        elif kind == LetterKind.REFUSAL:
            paragraphs += [
                str(_("Your application is not accepted, for these reasons:")),
                case.decision_reasons,
                str(REMEDY_NOTICE),
            ]
        elif kind == LetterKind.SUPPLEMENT:
            request = _latest_supplement(case)
            rows.append((str(_("Hand in by")), _date(request.due if request else None)))
            paragraphs.append(
                str(
                    _(
                        "Your materials are incomplete or not in the form the law requires. "
                        "Please hand in everything listed below, all at once:"
                    )
                )
            )
            paragraphs += [
                f"{n}. {name}" for n, name in enumerate(_missing_names(case, request, language), 1)
            ]
            if request is not None and request.note:
                paragraphs.append(f"{_('Note')}: {request.note}")
        elif kind == LetterKind.APPROVAL:
            rows.append((str(_("Decided on")), _date(case.decided_at)))
            paragraphs.append(
                str(_("Your application meets the legal conditions and is approved."))
            )
        elif kind == LetterKind.DENIAL:
            rows.append((str(_("Decided on")), _date(case.decided_at)))
            paragraphs += [
                str(
                    _(
                        "Your application does not meet the legal conditions and is denied, for these reasons:"
                    )
                ),
                case.decision_reasons,
                str(REMEDY_NOTICE),
            ]
    return LetterText(rows, [p for p in paragraphs if p])


def letter_payload(case: Case, kind: str) -> dict:
    """What the signature covers: the case, the letter, and the facts the letter states."""
    request = _latest_supplement(case) if kind == LetterKind.SUPPLEMENT else None
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
        "accepted_on": _date(case.accepted_at) if case.accepted_at else None,
        "statutory_due": case.statutory_due.isoformat() if case.statutory_due else None,
        "promised_due": case.promised_due.isoformat() if case.promised_due else None,
        "decided_on": _date(case.decided_at) if case.decided_at else None,
        "reasons": case.decision_reasons if kind in (LetterKind.REFUSAL, LetterKind.DENIAL) else "",
    }


def _renderer(case: Case, kind: str, spec: LetterSpec):
    from tongban.documents import pdf

    languages = _languages(case)
    texts = [("zh-hans", _chinese(case, kind))] + [
        (language, _translated(case, kind, language)) for language in languages[1:]
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
    for spec in SPECS.values():
        if spec.kind == document.kind:
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
