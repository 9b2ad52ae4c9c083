"""What each letter says, in Chinese (the language of the decision) and in the applicant's
language: (label, value) rows, then paragraphs. ``letters`` signs and lays them out."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tongban.core.text import to_hong_kong_traditional

from .constants import REMEDY_NOTICE, REMEDY_NOTICE_ZH, LetterKind
from .models import Case
from .status_codes import status_code_of, status_page_url

CHANNEL_ZH = {
    "online": "网上办理",
    "counter": "专区窗口",
    "video": "远程视频",
    "kiosk": "自助终端",
    "post": "邮寄",
}


def letter_date(moment) -> str:
    if moment is None:
        return "—"
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d")


@dataclass
class LetterText:
    """One language's body: (label, value) rows, then paragraphs."""

    rows: list[tuple[str, str]]
    paragraphs: list[str]


def latest_supplement(case: Case):
    return case.supplement_requests.order_by("-round").first()


def _missing_names(case: Case, request, language: str) -> list[str]:
    names = []
    if request is None:
        return names
    materials = case.item.materials.filter(pk__in=request.missing_requirements)
    for material in materials.order_by("position"):
        names.append(material.name_zh_hans if language == "zh-hans" else material.localized("name"))
    return names + list(request.missing_other)


def chinese_text(case: Case, kind: str) -> LetterText:
    item, person = case.item, case.applicant_person
    rows = [
        ("办件编号", case.number),
        ("申请人", person.display_name),
        ("申请事项", item.name_zh_hans),
        ("实施主体", case.department.name_zh_hans),
        ("收件日期", letter_date(case.materials_complete_at or case.submitted_at)),
    ]
    paragraphs: list[str] = []
    if kind == LetterKind.RECEIPT:
        rows += [
            ("递交渠道", CHANNEL_ZH.get(case.channel, case.channel)),
            ("状态查询码", status_code_of(case)),
        ]
        paragraphs += [
            "本凭证证明已收到你（单位）的申请材料。本机关将在收到材料之日起五个工作日内决定是否受理，"
            "或一次性告知需要补正的全部材料；逾期未告知的，自收到材料之日起即为受理。",
            f"凭办件编号和状态查询码，无需账户即可在 {status_page_url()} 查询办理进度。请妥善保管本凭证。",
        ]
    elif kind == LetterKind.ACCEPTANCE:
        rows += [
            ("受理日期", letter_date(case.accepted_at)),
            ("承诺办结日期", letter_date(case.promised_due)),
            ("法定办结日期", letter_date(case.statutory_due)),
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
        request = latest_supplement(case)
        rows.append(("补正期限", letter_date(request.due if request else None)))
        paragraphs.append("你（单位）提交的申请材料不齐全或不符合法定形式，请一次性补正下列材料：")
        paragraphs += [
            f"{n}. {name}" for n, name in enumerate(_missing_names(case, request, "zh-hans"), 1)
        ]
        if request is not None and request.note:
            paragraphs.append(f"说明：{request.note}")
        paragraphs.append("补正材料提交后，本机关将依法继续办理。")
    elif kind == LetterKind.APPROVAL:
        rows.append(("决定日期", letter_date(case.decided_at)))
        result = item.result_name or "审批结果"
        paragraphs.append(
            f"经审查，你（单位）的申请符合法定条件，本机关决定准予许可，核发{result}。"
        )
    elif kind == LetterKind.DENIAL:
        rows.append(("决定日期", letter_date(case.decided_at)))
        paragraphs += [
            "经审查，你（单位）的申请不符合法定条件，本机关决定不予许可，理由如下：",
            case.decision_reasons,
            REMEDY_NOTICE_ZH,
        ]
    return LetterText(rows, [p for p in paragraphs if p])


def translated_text(case: Case, kind: str, language: str) -> LetterText:
    """The same letter in ``language`` (not simplified Chinese)."""
    if language == "zh-hant":
        chinese = chinese_text(case, kind)
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
            (
                str(_("Materials received")),
                letter_date(case.materials_complete_at or case.submitted_at),
            ),
        ]
        paragraphs: list[str] = []
        if kind == LetterKind.RECEIPT:
            rows += [
                (str(_("Channel")), str(case.get_channel_display())),
                (str(_("Status code")), status_code_of(case)),
            ]
            paragraphs += [
                str(
                    _(
                        "This receipt confirms that your materials were received. Within five "
                        "working days of receiving them the department accepts the application "
                        "or asks, all at once, for everything missing; if it does neither, the "
                        "application counts as accepted from the day the materials arrived."
                    )
                ),
                str(
                    _(
                        "With the case number and the status code you can follow the case at "
                        "%(address)s, without an account. Keep this receipt."
                    )
                )
                % {"address": status_page_url()},
            ]
        elif kind == LetterKind.ACCEPTANCE:
            rows += [
                (str(_("Accepted on")), letter_date(case.accepted_at)),
                (str(_("Promised decision by")), letter_date(case.promised_due)),
                (str(_("Statutory decision by")), letter_date(case.statutory_due)),
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
            request = latest_supplement(case)
            rows.append((str(_("Hand in by")), letter_date(request.due if request else None)))
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
            rows.append((str(_("Decided on")), letter_date(case.decided_at)))
            paragraphs.append(
                str(_("Your application meets the legal conditions and is approved."))
            )
        elif kind == LetterKind.DENIAL:
            rows.append((str(_("Decided on")), letter_date(case.decided_at)))
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
