"""Vocabularies of the catalog.

Each choice's value is a stable English slug, its label a translatable English phrase, and
``OFFICIAL_TERMS`` holds the Chinese term a Guangdong 实施清单 export writes in its cells.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    LICENCE = "licence", _("Administrative licence")
    BENEFIT = "benefit", _("Administrative benefit")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    REWARD = "reward", _("Administrative reward")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


class Level(models.TextChoices):
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("Municipal")
    COUNTY = "county", _("County")


class HandlingType(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Decided on the spot")
    PROMISED = "promised", _("Decided within the promised limit")
    JOINT = "joint", _("Handled jointly")
    REPORTED = "reported", _("Sent up a level")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")
    MONTHS = "months", _("months")


class Channel(models.TextChoices):
    COUNTER = "counter", _("At a zone counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")
    KIOSK = "kiosk", _("Self-service kiosk")
    VIDEO = "video", _("Remote video")


class Scope(models.TextChoices):
    CITY = "city", _("Jiangmen only")
    CROSS_BORDER = "cross_border", _("Cross-border")
    PROVINCE = "province", _("Province-wide")


class Audience(models.TextChoices):
    PERSON = "person", _("Persons")
    COMPANY = "company", _("Companies")


class ResultType(models.TextChoices):
    LICENCE = "licence", _("Licence or certificate")
    APPROVAL = "approval", _("Approval document")
    OTHER = "other", _("Other")


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class MaterialType(models.TextChoices):
    CERTIFICATE = "certificate", _("Identity document, licence or certificate")
    FORM = "form", _("Application form or letter")
    OTHER = "other", _("Other")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Brought by the applicant")
    GOVERNMENT = "government", _("Issued by a government department")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    MAY_FOLLOW = "may_follow", _("May follow later")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    BOTH = "both", _("Paper or electronic")


class HolidayCalendar(models.TextChoices):
    MAINLAND = "CN", _("Mainland China")
    HONG_KONG = "HK", _("Hong Kong")
    MACAU = "MO", _("Macau")


ONLINE_DEPTHS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

OFFICIAL_TERMS: dict[type[models.TextChoices], dict[str, str]] = {
    ItemType: {
        ItemType.LICENCE: "行政许可",
        ItemType.BENEFIT: "行政给付",
        ItemType.CONFIRMATION: "行政确认",
        ItemType.REWARD: "行政奖励",
        ItemType.ADJUDICATION: "行政裁决",
        ItemType.OTHER_POWER: "其他行政权力",
        ItemType.PUBLIC_SERVICE: "公共服务",
    },
    Level: {Level.PROVINCE: "省级", Level.CITY: "市级", Level.COUNTY: "县级"},
    HandlingType: {
        HandlingType.ON_THE_SPOT: "即办件",
        HandlingType.PROMISED: "承诺件",
        HandlingType.JOINT: "联办件",
        HandlingType.REPORTED: "上报件",
    },
    LimitUnit: {
        LimitUnit.WORKING_DAYS: "工作日",
        LimitUnit.CALENDAR_DAYS: "自然日",
        LimitUnit.HOURS: "小时",
        LimitUnit.MONTHS: "月",
    },
    Channel: {
        Channel.COUNTER: "窗口办理",
        Channel.ONLINE: "网上办理",
        Channel.POST: "快递办理",
        Channel.KIOSK: "自助办理",
        Channel.VIDEO: "视频办理",
    },
    Scope: {Scope.CITY: "全市", Scope.CROSS_BORDER: "跨境", Scope.PROVINCE: "全省"},
    Audience: {Audience.PERSON: "自然人", Audience.COMPANY: "法人"},
    ResultType: {ResultType.LICENCE: "证照", ResultType.APPROVAL: "批文", ResultType.OTHER: "其他"},
    ItemStatus: {ItemStatus.ACTIVE: "在用", ItemStatus.SUSPENDED: "暂停"},
    MaterialType: {
        MaterialType.CERTIFICATE: "证件证书证明",
        MaterialType.FORM: "申请表格文书",
        MaterialType.OTHER: "其他",
    },
    MaterialSource: {
        MaterialSource.APPLICANT: "申请人自备",
        MaterialSource.GOVERNMENT: "政府部门核发",
    },
    Necessity: {
        Necessity.REQUIRED: "必要",
        Necessity.OPTIONAL: "非必要",
        Necessity.MAY_FOLLOW: "容缺后补",
    },
    MaterialForm: {
        MaterialForm.PAPER: "纸质",
        MaterialForm.ELECTRONIC: "电子",
        MaterialForm.BOTH: "纸质；电子",
    },
}


def official_term(choice: models.TextChoices) -> str:
    return OFFICIAL_TERMS[type(choice)][choice]


def from_official_term(vocabulary: type[models.TextChoices], term: str) -> str | None:
    """The choice value for a Chinese term (simplified or traditional), or None."""
    from tongban.core.text import to_simplified

    wanted = to_simplified(term.strip()).replace(";", "；")
    for value, official in OFFICIAL_TERMS[vocabulary].items():
        if official == wanted:
            return value
    return None


# Topics (life events) people browse by: slug → (Chinese term, translatable label).
TOPICS: dict[str, tuple[str, str]] = {
    "business-startup": ("开办企业", _("Starting a business")),
    "business-licences": ("经营许可", _("Business licences")),
    "real-estate": ("不动产", _("Real estate")),
    "social-insurance": ("社保", _("Social insurance")),
    "tax": ("纳税", _("Tax")),
    "provident-fund": ("公积金", _("Housing provident fund")),
    "exit-entry": ("出入境", _("Exit and entry")),
    "household": ("户籍", _("Household registration")),
    "marriage": ("婚姻", _("Marriage")),
    "education": ("教育", _("Education")),
    "medical-insurance": ("医保", _("Medical insurance")),
    "health": ("卫生健康", _("Health")),
    "employment": ("就业创业", _("Jobs and start-ups")),
    "talent": ("人才", _("Talent")),
    "housing": ("住房", _("Housing")),
    "transport": ("交通出行", _("Transport")),
    "social-assistance": ("社会救助", _("Social assistance")),
    "legal": ("公证法律", _("Notary and legal services")),
    "culture-tourism": ("文化旅游", _("Culture and tourism")),
}
TOPIC_BY_TERM = {term: slug for slug, (term, _label) in TOPICS.items()}

# The date the first zone opened in Macau; nothing entered the zones before it.
ZONES_OPENED = "2021-04-27"
