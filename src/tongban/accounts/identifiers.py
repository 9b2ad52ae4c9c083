"""Identity-document and company numbers: checked, normalised and masked.

One ``validate_<kind>`` function per kind of document returns the number in its one
normalised form or raises :class:`InvalidIdentifier`, whose message says exactly what is
wrong in words a person can act on. The rules are those of ``DOMAIN.md`` §5. People type
these numbers with spaces, in lower case, without the brackets or on a Chinese keyboard
(full-width characters), so every function accepts all of those.
"""

from __future__ import annotations

import datetime as dt
import enum
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError


class IdentifierKind(models.TextChoices):
    HKID = "hkid", _("Hong Kong identity card")
    MACAU_BIR = "mo-bir", _("Macao resident identity card")
    MAINLAND_TRAVEL_PERMIT = (
        "hmt-permit",
        _("Mainland Travel Permit for Hong Kong and Macao Residents"),
    )
    HKMO_RESIDENCE_PERMIT = (
        "hkmo-residence-permit",
        _("Residence Permit for Hong Kong and Macao Residents"),
    )
    MAINLAND_RESIDENT_ID = "cn-id", _("Mainland resident identity card")
    USCC = "uscc", _("Unified social credit code")
    HK_BUSINESS_REGISTRATION = "hk-br", _("Hong Kong business registration number")
    PASSPORT = "passport", _("Passport")


class IdentifierProblem(enum.StrEnum):
    """What kind of mistake an :class:`InvalidIdentifier` reports, for programs (its own name:
    the OpenAPI document keeps one schema per name, and documents have a ``Problem`` too)."""

    MISSING = "missing"
    LENGTH = "length"
    CHARACTER = "character"
    PREFIX = "prefix"
    CHECK_DIGIT = "check_digit"
    BIRTH_DATE = "birth_date"
    ADDRESS_CODE = "address_code"


Problem = IdentifierProblem


class InvalidIdentifier(ValueError):
    """A number that is not valid; ``str()`` gives the reason in the active language."""

    def __init__(self, problem: Problem, message: Promise, **params: object) -> None:
        self.problem = problem
        self.message = message
        self.params = params
        super().__init__(problem.value)

    def __str__(self) -> str:
        # Rendered on demand, so one exception reads right in whichever language is active.
        return str(self.message) % self.params


DIGITS = frozenset(string.digits)
LETTERS = frozenset(string.ascii_uppercase)
LETTERS_AND_DIGITS = DIGITS | LETTERS
# GB 32100 leaves out I, O, S, V and Z so they cannot be mistaken for 1, 0, 5, U and 2.
CREDIT_CODE_CHARACTERS = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")

SHOULD_BE_DIGIT = _("Character %(position)s (“%(character)s”) should be a digit.")
SHOULD_BE_LETTER = _("Character %(position)s (“%(character)s”) should be a letter.")
SHOULD_BE_LETTER_OR_DIGIT = _(
    "Character %(position)s (“%(character)s”) should be a letter or a digit."
)
SHOULD_BE_CREDIT_CODE_CHARACTER = _(
    "Character %(position)s (“%(character)s”) should be a digit or a capital letter "
    "other than I, O, S, V and Z."
)


def _compact(value: str) -> str:
    """Full-width forms folded to ASCII, spaces and hyphens dropped, upper case."""
    folded = unicodedata.normalize("NFKC", value or "")
    number = "".join(ch for ch in folded if not ch.isspace() and ch != "-").upper()
    if not number:
        raise InvalidIdentifier(Problem.MISSING, _("Enter the number."))
    return number


def _expect(number: str, positions: Iterable[int], allowed: frozenset, message: Promise) -> None:
    for index in positions:
        if number[index] not in allowed:
            character = number[index]
            if not character.isprintable():  # e.g. a zero-width space pasted from a web page
                character = f"U+{ord(character):04X}"
            raise InvalidIdentifier(
                Problem.CHARACTER, message, position=index + 1, character=character
            )


def _unbracket_check_character(number: str, example: str) -> str:
    """``A123456(3)`` → ``A1234563``; the brackets are optional but only around the last one."""
    if len(number) >= 3 and number[-3] == "(" and number[-1] == ")":
        number = number[:-3] + number[-2]
    if "(" in number or ")" in number:
        raise InvalidIdentifier(
            Problem.CHARACTER,
            _("Only the last character goes in brackets, as in %(example)s."),
            example=example,
        )
    return number


# --- Hong Kong identity card ------------------------------------------------------------


def hkid_check_digit(body: str) -> str:
    """The check character of an HKID body of 1–2 letters and 6 digits (upper case)."""
    # A missing second letter counts as 36 (a space), so both lengths weigh 8 positions.
    values = [36] if len(body) == 7 else []
    values += [int(ch) if ch in DIGITS else ord(ch) - ord("A") + 10 for ch in body]
    remainder = (
        sum(value * weight for value, weight in zip(values, range(9, 1, -1), strict=True)) % 11
    )
    if remainder == 0:
        return "0"
    if remainder == 1:
        return "A"
    return str(11 - remainder)


def validate_hkid(value: str) -> str:
    number = _unbracket_check_character(_compact(value), "A123456(3)")
    if number[0] not in LETTERS:
        raise InvalidIdentifier(
            Problem.PREFIX,
            _("An HKID number starts with one or two letters, not “%(given)s”."),
            given=number[0],
        )
    if len(number) not in (8, 9):
        raise InvalidIdentifier(
            Problem.LENGTH,
            _(
                "An HKID number has one or two letters, six digits and a check digit "
                "(8 or 9 characters without the brackets); this one has %(length)s."
            ),
            length=len(number),
        )
    letter_count = len(number) - 7
    _expect(number, range(letter_count), LETTERS, SHOULD_BE_LETTER)
    _expect(number, range(letter_count, letter_count + 6), DIGITS, SHOULD_BE_DIGIT)
    body, given = number[:-1], number[-1]
    if given not in DIGITS and given != "A":
        raise InvalidIdentifier(
            Problem.CHARACTER,
            _("The check digit in brackets should be a digit or the letter A, not “%(given)s”."),
            given=given,
        )
    expected = hkid_check_digit(body)
    if given != expected:
        raise InvalidIdentifier(
            Problem.CHECK_DIGIT,
            _("The check digit in brackets should be %(expected)s, not %(given)s."),
            expected=expected,
            given=given,
        )
    return f"{body}({given})"


# --- Macao resident identity card (BIR) ---------------------------------------------------


def validate_macau_bir(value: str) -> str:
    # Format only: the Macao identification services do not publish the check algorithm,
    # so the digit in brackets cannot be verified here. Older forms write 1/234567/8.
    without_slashes = unicodedata.normalize("NFKC", value or "").replace("/", "")
    number = _unbracket_check_character(_compact(without_slashes), "1234567(8)")
    if len(number) != 8:
        raise InvalidIdentifier(
            Problem.LENGTH,
            _(
                "A Macao identity card number has 8 digits, the last in brackets; "
                "this one has %(length)s characters."
            ),
            length=len(number),
        )
    _expect(number, range(8), DIGITS, SHOULD_BE_DIGIT)
    if number[0] not in "157":
        raise InvalidIdentifier(
            Problem.PREFIX,
            _("A Macao identity card number starts with 1, 5 or 7, not %(given)s."),
            given=number[0],
        )
    return f"{number[:7]}({number[7]})"


# --- Mainland Travel Permit for Hong Kong and Macao Residents (回乡证) ----------------------


def validate_mainland_travel_permit(value: str) -> str:
    number = _compact(value)
    if number[0] not in "HM":
        raise InvalidIdentifier(
            Problem.PREFIX,
            _(
                "A Mainland Travel Permit number starts with H (Hong Kong residents) "
                "or M (Macao residents), not “%(given)s”."
            ),
            given=number[0],
        )
    if len(number) not in (9, 11):
        raise InvalidIdentifier(
            Problem.LENGTH,
            _(
                "A Mainland Travel Permit number has H or M and 8 digits (9 characters; "
                "older permits add a 2-digit renewal count); this one has %(length)s."
            ),
            length=len(number),
        )
    _expect(number, range(1, len(number)), DIGITS, SHOULD_BE_DIGIT)
    return number


def permit_person_key(value: str) -> str:
    """The part of a Mainland Travel Permit number that stays the same across renewals."""
    return validate_mainland_travel_permit(value)[:9]


# --- GB 11643 numbers: mainland identity card and HK/Macao residence permit ----------------

RESIDENCE_PERMIT_ADDRESS_CODES = {"810000", "820000"}
# 81/82/83 are the codes of residence permits for Hong Kong, Macao and Taiwan residents.
RESIDENCE_PERMIT_PROVINCES = {"81", "82", "83"}


def _check_gb11643_shape(number: str, length_message: Promise) -> None:
    if len(number) != 18:
        raise InvalidIdentifier(Problem.LENGTH, length_message, length=len(number))
    _expect(number, range(17), DIGITS, SHOULD_BE_DIGIT)
    if number[17] not in DIGITS and number[17] != "X":
        raise InvalidIdentifier(
            Problem.CHARACTER,
            _("The last character (the check digit) should be a digit or X, not “%(given)s”."),
            given=number[17],
        )


def _check_gb11643_birth_date_and_check_digit(number: str) -> None:
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth_date = ric.get_birth_date(number)
    except ValidationError:
        raise InvalidIdentifier(
            Problem.BIRTH_DATE,
            _("Characters 7–14 should be the birth date, but %(date)s is not a real date."),
            date=shown,
        ) from None
    if birth_date > dt.date.today():
        raise InvalidIdentifier(
            Problem.BIRTH_DATE,
            _("Characters 7–14 should be the birth date, but %(date)s is in the future."),
            date=shown,
        )
    expected, given = ric.calc_check_digit(number), number[17]
    if given != expected:
        raise InvalidIdentifier(
            Problem.CHECK_DIGIT,
            _("The last character (the check digit) should be %(expected)s, not %(given)s."),
            expected=expected,
            given=given,
        )


def validate_hkmo_residence_permit(value: str) -> str:
    number = _compact(value)
    _check_gb11643_shape(
        number,
        _("A residence permit number has 18 characters; this one has %(length)s."),
    )
    if number[:6] not in RESIDENCE_PERMIT_ADDRESS_CODES:
        raise InvalidIdentifier(
            Problem.PREFIX,
            _(
                "A residence permit number for Hong Kong and Macao residents starts with "
                "810000 (Hong Kong) or 820000 (Macao), not %(given)s."
            ),
            given=number[:6],
        )
    _check_gb11643_birth_date_and_check_digit(number)
    return number


def _is_known_address_code(code: str) -> bool:
    # stdnum's validate() also demands that the county code existed in the birth year; a
    # person registered after their district was created legitimately fails that, so only
    # the code's existence at some time is required here.
    found = {key for _part, props in numdb.get("cn/loc").info(code) for key in props}
    return "county" in found


def validate_mainland_resident_id(value: str) -> str:
    number = _compact(value)
    _check_gb11643_shape(
        number,
        _("A mainland identity card number has 18 characters; this one has %(length)s."),
    )
    if number[:2] in RESIDENCE_PERMIT_PROVINCES:
        raise InvalidIdentifier(
            Problem.PREFIX,
            _(
                "Numbers starting with %(given)s belong to residence permits for Hong Kong, "
                "Macao and Taiwan residents, not to mainland identity cards."
            ),
            given=number[:2],
        )
    _check_gb11643_birth_date_and_check_digit(number)
    if not _is_known_address_code(number[:6]):
        raise InvalidIdentifier(
            Problem.ADDRESS_CODE,
            _("The first six digits (%(code)s) are not a mainland address code."),
            code=number[:6],
        )
    return number


# --- Companies -----------------------------------------------------------------------------


def validate_uscc(value: str) -> str:
    number = _compact(value)
    if len(number) != 18:
        raise InvalidIdentifier(
            Problem.LENGTH,
            _("A unified social credit code has 18 characters; this one has %(length)s."),
            length=len(number),
        )
    # python-stdnum (which this defers to) wants the authority, type and region all digits.
    _expect(number, range(8), DIGITS, SHOULD_BE_DIGIT)
    _expect(number, range(8, 18), CREDIT_CODE_CHARACTERS, SHOULD_BE_CREDIT_CODE_CHARACTER)
    expected, given = uscc.calc_check_digit(number), number[17]
    if given != expected:
        raise InvalidIdentifier(
            Problem.CHECK_DIGIT,
            _("The last character (the check character) should be %(expected)s, not %(given)s."),
            expected=expected,
            given=given,
        )
    return uscc.validate(number)


def validate_hk_business_registration(value: str) -> str:
    # Format only: the Inland Revenue Department publishes no check for the 8-digit number.
    number = _compact(value)
    if len(number) != 8:
        raise InvalidIdentifier(
            Problem.LENGTH,
            _(
                "A Hong Kong business registration number has 8 characters (8 digits, or a "
                "letter and 7 digits); this one has %(length)s."
            ),
            length=len(number),
        )
    _expect(number, range(1), LETTERS_AND_DIGITS, SHOULD_BE_LETTER_OR_DIGIT)
    _expect(number, range(1, 8), DIGITS, SHOULD_BE_DIGIT)
    return number


def validate_passport(value: str) -> str:
    # Every country has its own format; only the shape common to all is checked.
    number = _compact(value)
    if not 5 <= len(number) <= 20:
        raise InvalidIdentifier(
            Problem.LENGTH,
            _("A passport number has 5 to 20 letters and digits; this one has %(length)s."),
            length=len(number),
        )
    _expect(number, range(len(number)), LETTERS_AND_DIGITS, SHOULD_BE_LETTER_OR_DIGIT)
    return number


# --- By kind -------------------------------------------------------------------------------

VALIDATORS: dict[IdentifierKind, Callable[[str], str]] = {
    IdentifierKind.HKID: validate_hkid,
    IdentifierKind.MACAU_BIR: validate_macau_bir,
    IdentifierKind.MAINLAND_TRAVEL_PERMIT: validate_mainland_travel_permit,
    IdentifierKind.HKMO_RESIDENCE_PERMIT: validate_hkmo_residence_permit,
    IdentifierKind.MAINLAND_RESIDENT_ID: validate_mainland_resident_id,
    IdentifierKind.USCC: validate_uscc,
    IdentifierKind.HK_BUSINESS_REGISTRATION: validate_hk_business_registration,
    IdentifierKind.PASSPORT: validate_passport,
}


def validate(kind: IdentifierKind | str, value: str) -> str:
    """The normalised number; raises InvalidIdentifier (or ValueError for an unknown kind)."""
    return VALIDATORS[IdentifierKind(kind)](value)


@dataclass(frozen=True)
class CheckResult:
    normalized: str | None
    error: InvalidIdentifier | None

    @property
    def valid(self) -> bool:
        return self.error is None


def check(kind: IdentifierKind | str, value: str) -> CheckResult:
    """Like :func:`validate`, but reports an invalid number instead of raising."""
    try:
        return CheckResult(normalized=validate(kind, value), error=None)
    except InvalidIdentifier as error:
        return CheckResult(normalized=None, error=error)


# How many characters of the number a masked form shows: (leading, trailing). A check
# character in brackets is shown and counts as trailing. Never more than 4 in all.
MASK_SHOWN: dict[IdentifierKind, tuple[int, int]] = {
    IdentifierKind.HKID: (3, 1),
    IdentifierKind.MACAU_BIR: (2, 1),
    IdentifierKind.MAINLAND_TRAVEL_PERMIT: (2, 2),
    IdentifierKind.HKMO_RESIDENCE_PERMIT: (2, 2),
    IdentifierKind.MAINLAND_RESIDENT_ID: (2, 2),
    IdentifierKind.USCC: (2, 2),
    IdentifierKind.HK_BUSINESS_REGISTRATION: (2, 1),
    IdentifierKind.PASSPORT: (2, 1),
}


def mask(kind: IdentifierKind | str, normalized: str) -> str:
    """``A123456(3)`` → ``A12****(3)``: enough to recognise a number, not to use it."""
    leading, trailing = MASK_SHOWN[IdentifierKind(kind)]
    bracketed = len(normalized) >= 3 and normalized[-3] == "(" and normalized[-1] == ")"
    characters = normalized[:-3] + normalized[-2] if bracketed else normalized
    # Short numbers (passports of 5 characters, bad stored data) show at most half.
    while leading + trailing > len(characters) // 2 and leading + trailing > 0:
        if leading >= trailing and leading > 0:
            leading -= 1
        else:
            trailing -= 1
    hidden = len(characters) - leading - trailing
    shown = characters[:leading] + "*" * hidden + characters[len(characters) - trailing :]
    if bracketed:
        return f"{shown[:-1]}({shown[-1]})"
    return shown
