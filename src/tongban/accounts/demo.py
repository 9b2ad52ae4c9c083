"""Demo residents, a company and staff, for ``tongban demo`` (called through services)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from tongban.accounts import identifiers
from tongban.accounts.applicants import Company, IdentityDocument, Person
from tongban.accounts.companies import create_company, normalise_company_identifier
from tongban.accounts.constants import CompanyIdentifierKind, Region, Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.staff import StaffAssignment
from tongban.accounts.user import Language

DEMO_DOMAIN = "demo.tongban.invalid"
# Staff must use TOTP; demo staff share this well-known secret so a tester can add it to an
# authenticator app. 160 bits (32 base32 characters), as RFC 4226 recommends: authenticator
# libraries refuse secrets under 112 bits. Demo mode is refused in production (settings).
DEMO_TOTP_SECRET = "KRXW4Z3CMFXCAZDFNVXSA43UMFTGMIJB"  # noqa: S105
REVIEWER_DEPARTMENTS = 3


def demo_hkid(body: str) -> str:
    return f"{body}({identifiers.hkid_check_digit(body)})"


# Macao does not publish its check algorithm; any final digit passes the format check.
RESIDENTS = [
    {
        "email": f"chan.taiman@{DEMO_DOMAIN}",
        "name_zh": "陳大文",
        "name_en": "CHAN Tai Man",
        "phone": "+85291234567",
        "phone_region": Region.HONG_KONG,
        "preferred_language": Language.ZH_HANT,
        "address_region": Region.HONG_KONG,
        "address_lines": "香港九龍彌敦道 123 號 8 樓 A 室",
        "documents": [
            (IdentifierKind.HKID, demo_hkid("A123456")),
            (IdentifierKind.MAINLAND_TRAVEL_PERMIT, "H12345678"),
        ],
    },
    {
        "email": f"wong.siuming@{DEMO_DOMAIN}",
        "name_zh": "黃小明",
        "name_en": "WONG Siu Ming",
        "phone": "+85261234567",
        "phone_region": Region.HONG_KONG,
        "preferred_language": Language.EN,
        "address_region": Region.HONG_KONG,
        "address_lines": "Flat 12B, 88 Des Voeux Road Central, Hong Kong",
        "documents": [
            (IdentifierKind.HKID, demo_hkid("CA182361")),
            (IdentifierKind.MAINLAND_TRAVEL_PERMIT, "H87654321"),
        ],
    },
    {
        "email": f"lei.meileng@{DEMO_DOMAIN}",
        "name_zh": "李美玲",
        "name_en": "LEI Mei Leng",
        "phone": "+85366123456",
        "phone_region": Region.MACAU,
        "preferred_language": Language.ZH_HANT,
        "address_region": Region.MACAU,
        "address_lines": "澳門新馬路 50 號 3 樓",
        "documents": [
            (IdentifierKind.MACAU_BIR, "1234567(8)"),
            (IdentifierKind.MAINLAND_TRAVEL_PERMIT, "M12345678"),
        ],
    },
    {
        "email": f"maria.santos@{DEMO_DOMAIN}",
        "name_zh": "",
        "name_en": "Maria SANTOS",
        "phone": "+85362345678",
        "phone_region": Region.MACAU,
        "preferred_language": Language.PT,
        "address_region": Region.MACAU,
        "address_lines": "Avenida de Almeida Ribeiro 12, Macau",
        "documents": [(IdentifierKind.MACAU_BIR, "5215299(8)")],
    },
]

COMPANY = {
    "identifier_kind": CompanyIdentifierKind.HK_BUSINESS_REGISTRATION,
    "identifier": "12345678",
    "name_zh": "明星貿易有限公司",
    "name_en": "Bright Star Trading Limited",
    "legal_representative": "WONG Siu Ming",
}

STAFF_ROLES = [
    (Role.SUPERVISOR, "supervisor"),
    (Role.CATALOG_EDITOR, "catalog-editor"),
    (Role.AUDITOR, "auditor"),
    (Role.ADMINISTRATOR, "admin"),
]


def _user(email: str, password: str, **fields):
    users = get_user_model().objects
    user = users.filter(email=email).first()
    if user is None:
        user = users.create_user(email=email, password=password, **fields)
    return user


def _resident(spec: dict, password: str) -> Person:
    from tongban.accounts.services import register_person

    user = _user(spec["email"], password, phone=spec["phone"])
    existing = Person.objects.filter(user=user).first()
    if existing:
        return existing
    fields = {k: v for k, v in spec.items() if k not in {"email", "documents"}}
    documents = [
        (kind, number)
        for kind, number in spec["documents"]
        if not IdentityDocument.objects.filter(kind=kind, number_hash=_hash(kind, number)).exists()
    ]
    return register_person(user=user, email=spec["email"], documents=documents, **fields)


def _hash(kind: str, number: str) -> str:
    from tongban.accounts.services import document_lookup_hash

    return document_lookup_hash(kind, identifiers.validate(kind, number))


def _staff(email: str, password: str, role: str, *, zone=None, department=None) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt

    user = _user(email, password, is_staff=role == Role.ADMINISTRATOR)
    StaffAssignment.objects.get_or_create(user=user, role=role, zone=zone, department=department)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None and decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
        totp.delete()  # an older demo's secret, too short for today's authenticator apps
        totp = None
    if totp is None:
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def create_demo_people(password: str) -> dict:
    """Residents of Hong Kong and Macau, a Hong Kong company with its director authorised, and
    staff: a clerk per zone, reviewers for a few departments, one of each other role.
    Safe to run twice. Everyone signs in with ``password``."""
    from tongban.accounts.services import company_lookup_hash
    from tongban.catalog.models import Department, Zone

    persons = [_resident(spec, password) for spec in RESIDENTS]
    director = persons[1]
    kind = COMPANY["identifier_kind"]
    lookup = company_lookup_hash(kind, normalise_company_identifier(kind, COMPANY["identifier"]))
    company = Company.objects.filter(identifier_kind=kind, identifier_hash=lookup).first()
    if company is None:
        company = create_company(director.user, authorise_person=director, **COMPANY)

    staff = []
    for zone in Zone.objects.all():
        email = f"clerk.{zone.code.lower()}@{DEMO_DOMAIN}"
        _staff(email, password, Role.ZONE_CLERK, zone=zone)
        staff.append(email)
    for department in Department.objects.all()[:REVIEWER_DEPARTMENTS]:
        email = f"reviewer.{department.credit_code.lower()}@{DEMO_DOMAIN}"
        _staff(email, password, Role.DEPARTMENT_REVIEWER, department=department)
        staff.append(email)
    for role, name in STAFF_ROLES:
        email = f"{name}@{DEMO_DOMAIN}"
        _staff(email, password, role)
        staff.append(email)
    _name_staff(staff)
    return {
        "residents": [person.user.email for person in persons],
        "company": company.name_en,
        "staff": staff,
        "staff_totp_secret": DEMO_TOTP_SECRET,
    }


# Staff appear to colleagues by name and role, never by e-mail address.
STAFF_NAMES = [
    ("詠詩", "何"), ("家豪", "陳"), ("美華", "梁"), ("志強", "黃"), ("嘉欣", "林"),
    ("建國", "張"), ("麗芳", "周"), ("俊傑", "吳"), ("秀英", "鄭"), ("浩然", "馮"),
]


def _name_staff(emails: list[str]) -> None:
    users = get_user_model().objects
    for index, email in enumerate(emails):
        first, last = STAFF_NAMES[index % len(STAFF_NAMES)]
        users.filter(email=email, first_name="").update(first_name=first, last_name=last)


def demo_people_exist() -> bool:
    return get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()
