import pytest
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from tongban.accounts import services
from tongban.accounts.constants import Region, Role
from tongban.catalog.models import Department, Zone

PASSWORD = "correct horse battery"
HKID = "A123456(3)"
HMT_PERMIT = "H12345678"
MO_BIR = "1234567(8)"


def credit_code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def shipped_zone(code: str, calendar: str) -> Zone:
    # The catalog migrations ship these zones; a transactional test elsewhere may have flushed
    # them, so recreate a stand-in when missing.
    texts = {
        f"{field}_{lang}": f"{code} {field}"
        for field in ("name", "address", "hours")
        for lang in ("zh_hans", "zh_hant", "en", "pt")
    }
    zone, _created = Zone.objects.get_or_create(
        code=code, defaults={"holiday_calendar": calendar, **texts}
    )
    return zone


@pytest.fixture
def zones(db):
    return {
        "mo": shipped_zone("MO-1", "MO"),
        "mo2": shipped_zone("MO-2", "MO"),
        "hk": shipped_zone("HK", "HK"),
        "jm": shipped_zone("JM", "CN"),
    }


@pytest.fixture
def departments(db):
    return {
        "housing": Department.objects.create(
            credit_code=credit_code("11440700MB2C94212"), name_zh_hans="江门市住房和城乡建设局"
        ),
        "tax": Department.objects.create(
            credit_code=credit_code("11440700MB2C94213"), name_zh_hans="江门市税务局"
        ),
    }


@pytest.fixture
def make_user(db):
    def make(email: str, *roles, zone=None, department=None):
        user = get_user_model().objects.create_user(email=email, password=PASSWORD)
        for role in roles:
            services.assign_role(
                user,
                role,
                zone=zone if role == Role.ZONE_CLERK else None,
                department=department if role == Role.DEPARTMENT_REVIEWER else None,
            )
        return user

    return make


@pytest.fixture
def make_applicant(make_user):
    def make(email: str, documents=(), **fields):
        user = make_user(email)
        fields.setdefault("name_zh", "陳大文")
        fields.setdefault("name_en", "CHAN Tai Man")
        person = services.register_person(
            user=user, documents=list(documents), phone_region=Region.HONG_KONG, **fields
        )
        return person

    return make


@pytest.fixture
def applicant(make_applicant):
    from tongban.accounts.identifiers import IdentifierKind

    return make_applicant(
        "chan@example.com",
        documents=[
            (IdentifierKind.HKID, HKID),
            (IdentifierKind.MAINLAND_TRAVEL_PERMIT, HMT_PERMIT),
        ],
        phone="9123 4567",
    )


@pytest.fixture
def clerk_macau(make_user, zones):
    return make_user("clerk.mo@example.com", Role.ZONE_CLERK, zone=zones["mo"])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s per user; these tests are about accounts, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
