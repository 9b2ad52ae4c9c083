"""Demo department records for the demo people (``accounts.services.create_demo_people``).

LEI Mei Leng, a Macau resident, has three years of social insurance with two Jiangmen
employers, the income tax they withheld and a flat in Pengjiang with a mortgage; CHAN Tai Man
(Hong Kong) worked in Jiangmen for a year and left; Jiangmen Bright Star Trading, for which
WONG Siu Ming is authorised, has a register entry with licences, a penalty and a lifted
abnormal-operation listing. Amounts follow Guangdong's 2024–2026 contribution rates.
Everything is keyed by the holders' keyed hashes, like imported data. Safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from . import models
from .constants import InsuranceType, RecordKind, Sex
from .subjects import Subject, make_subject

# The demo resident whose social-insurance certificate ``--demo`` issues (LEI Mei Leng).
MACAU_RESIDENT = ("hmt-permit", "M12345678")
HONG_KONG_RESIDENT = ("hmt-permit", "H12345678")
COMPANY_USCC_BODY = "91440703MA4UCW2K0"
COMPANY_NAME = "江门明星贸易有限公司"
COMPANY_DIRECTOR_EMAIL = "wong.siuming@demo.tongban.invalid"

EMPLOYER_RATE = Decimal("0.2218")  # pension 16% + unemployment 0.48% + injury 0.2% + medical 5.5%
PERSONAL_RATE = Decimal("0.1020")  # pension 8% + unemployment 0.2% + medical 2%
BASE_BY_YEAR = {2023: Decimal("5200"), 2024: Decimal("5800"), 2025: Decimal("6200")}
ALL_TYPES = list(InsuranceType.values)


def company_uscc() -> str:
    return COMPANY_USCC_BODY + uscc.calc_check_digit(COMPANY_USCC_BODY)


def demo_subject() -> Subject:
    return make_subject(*MACAU_RESIDENT)


def _months(last: dt.date, count: int) -> list[dt.date]:
    months, year, month = [], last.year, last.month
    for _step in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _contributions(key: str, months: list[dt.date], employers: list[tuple[int, str]]):
    rows = []
    for index, month in enumerate(months):
        employer = next(name for start, name in reversed(employers) if index >= start)
        base = BASE_BY_YEAR.get(month.year, Decimal("6600"))
        rows.append(
            models.ContributionMonth(
                subject_hash=key,
                month=month,
                employer=employer,
                contribution_base=base,
                employer_amount=_cents(base * EMPLOYER_RATE),
                personal_amount=_cents(base * PERSONAL_RATE),
                insurance_types=ALL_TYPES,
                place="江门市蓬江区",
            )
        )
    return rows


def _salary_tax(key: str, months: list[dt.date], agent: str) -> list[models.TaxPayment]:
    rows = []
    for index, month in enumerate(months):
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        paid = end + dt.timedelta(days=15)
        rows.append(
            models.TaxPayment(
                subject_hash=key,
                income_item="工资薪金所得",
                period_start=month,
                period_end=end,
                paid_on=paid,
                amount=Decimal("186.40") + Decimal(index % 3) * Decimal("12.50"),
                withholding_agent=agent,
                tax_authority="国家税务总局江门市蓬江区税务局",
            )
        )
    return rows


def _holder(kind: str, key: str, name: str, sex: str = "") -> None:
    models.RecordHolder.objects.update_or_create(
        kind=kind, subject_hash=key, defaults={"name": name, "sex": sex}
    )


def _macau_resident(today: dt.date) -> None:
    key = make_subject(*MACAU_RESIDENT).lookup_hash
    if models.ContributionMonth.objects.filter(subject_hash=key).exists():
        return
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = _months(last, 36)
    employers = [(0, "江门市大广海湾数字科技有限公司"), (14, "江门市澳江跨境服务有限公司")]
    models.ContributionMonth.objects.bulk_create(_contributions(key, months, employers))
    _holder(RecordKind.SOCIAL_INSURANCE, key, "李美玲", Sex.FEMALE)
    models.TaxPayment.objects.bulk_create(_salary_tax(key, months[-12:], employers[-1][1]))
    _holder(RecordKind.TAX, key, "李美玲")
    models.PropertyRight.objects.create(
        subject_hash=key,
        certificate_number="粤(2024)江门市不动产权第0034567号",
        unit_number="440703004002GB00123F00010045",
        location="江门市蓬江区白沙大道西1号7座1203房",
        owners=["李美玲（单独所有）"],
        area=Decimal("89.56"),
        use="城镇住宅用地/住宅",
        mortgages=[
            {
                "party": "中国银行股份有限公司江门分行",
                "detail": "一般抵押，被担保主债权数额人民币800,000.00元，2024-06-01至2044-05-31",
                "registered_on": "2024-06-05",
            }
        ],
    )
    _holder(RecordKind.REAL_ESTATE, key, "李美玲")


def _hong_kong_resident(today: dt.date) -> None:
    key = make_subject(*HONG_KONG_RESIDENT).lookup_hash
    if models.ContributionMonth.objects.filter(subject_hash=key).exists():
        return
    last = dt.date(today.year - 1, 6, 1)
    months = _months(last, 12)
    models.ContributionMonth.objects.bulk_create(
        _contributions(key, months, [(0, "江门市新会区银洲湖实业有限公司")])
    )
    _holder(RecordKind.SOCIAL_INSURANCE, key, "陳大文", Sex.MALE)
    models.TaxPayment.objects.bulk_create(
        _salary_tax(key, months, "江门市新会区银洲湖实业有限公司")
    )
    _holder(RecordKind.TAX, key, "陳大文")


def _company() -> str:
    number = company_uscc()
    key = make_subject("uscc", number).lookup_hash
    models.CompanyRegistration.objects.update_or_create(
        subject_hash=key,
        defaults=dict(
            uscc=number,
            name=COMPANY_NAME,
            company_type="有限责任公司（港澳台法人独资）",
            address="江门市蓬江区发展大道233号1栋802室",
            legal_representative="黄小明",
            registered_capital="500万元人民币",
            established_on=dt.date(2019, 3, 18),
            operating_until=None,
            approved_on=dt.date(2023, 9, 6),
            scope="一般项目：货物进出口；技术进出口；食品销售（仅销售预包装食品）；"
            "日用百货销售；国内贸易代理；供应链管理服务。（除依法须经批准的项目外，"
            "凭营业执照依法自主开展经营活动）",
            status="存续（在营、开业、在册）",
            licences=[
                {
                    "name": "食品经营许可证",
                    "number": "JY14407030123456",
                    "issuer": "江门市蓬江区市场监督管理局",
                    "valid_until": "2029-04-10",
                },
                {
                    "name": "对外贸易经营者备案登记",
                    "number": "04512345",
                    "issuer": "江门市商务局",
                    "valid_until": None,
                },
            ],
            penalties=[
                {
                    "decision_number": "江蓬市监罚〔2022〕118号",
                    "authority": "江门市蓬江区市场监督管理局",
                    "decided_on": "2022-08-15",
                    "reason": "销售的预包装食品标签不符合食品安全标准",
                    "outcome": "警告，罚款人民币3,000元（已履行）",
                }
            ],
            abnormal_listings=[
                {
                    "listed_on": "2021-07-02",
                    "reason": "未按规定期限公示2020年度年度报告",
                    "authority": "江门市市场监督管理局",
                    "removed_on": "2021-09-20",
                }
            ],
        ),
    )
    _authorise_director(number)
    return number


def _authorise_director(number: str) -> None:
    """The Jiangmen company exists in accounts too, with WONG Siu Ming authorised for it."""
    from django.contrib.auth import get_user_model

    from tongban.accounts import services as accounts

    director = get_user_model().objects.filter(email=COMPANY_DIRECTOR_EMAIL).first()
    person = accounts.person_for(director) if director else None
    if person is None:
        return
    for company, _authorisations in accounts.companies_of(person):
        if company.identifier_kind == "uscc" and company.identifier == number:
            return
    accounts.create_company(
        director,
        identifier_kind="uscc",
        identifier=number,
        name_zh=COMPANY_NAME,
        name_en="Jiangmen Bright Star Trading Co., Ltd.",
        legal_representative="黄小明",
        authorise_person=person,
    )


@transaction.atomic
def create_demo_records(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    _macau_resident(today)
    _hong_kong_resident(today)
    number = _company()
    return {
        "social_insurance_months": models.ContributionMonth.objects.count(),
        "tax_payments": models.TaxPayment.objects.count(),
        "properties": models.PropertyRight.objects.count(),
        "company": number,
    }
