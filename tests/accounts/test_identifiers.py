"""Identifier checks: tables of valid numbers and of mistakes with the exact reason given."""

import datetime as dt

import pytest
from django.utils import translation
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from tongban.accounts import identifiers
from tongban.accounts.identifiers import IdentifierKind, InvalidIdentifier, Problem


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


VALID = [
    # HKID: the two published examples, and every way people type them
    ("hkid", "A123456(3)", "A123456(3)"),
    ("hkid", "CA182361(1)", "CA182361(1)"),
    ("hkid", "a123456(3)", "A123456(3)"),
    ("hkid", "A1234563", "A123456(3)"),
    ("hkid", " A 123 456 (3) ", "A123456(3)"),
    ("hkid", "Ａ１２３４５６（３）", "A123456(3)"),
    ("hkid", "ca182361 1", "CA182361(1)"),
    ("hkid", "G123456(A)", "G123456(A)"),
    ("hkid", "g123456a", "G123456(A)"),
    ("hkid", "K123456(0)", "K123456(0)"),
    # Macao BIR: format only
    ("mo-bir", "1234567(8)", "1234567(8)"),
    ("mo-bir", "5123456 7", "5123456(7)"),
    ("mo-bir", "71234567", "7123456(7)"),
    ("mo-bir", "1/234567/8", "1234567(8)"),
    ("mo-bir", "5／123456／7", "5123456(7)"),
    ("mo-bir", "１２３４５６７（８）", "1234567(8)"),
    # 回乡证: new 9-character and old 11-character forms
    ("hmt-permit", "H12345678", "H12345678"),
    ("hmt-permit", "m 1234 5678", "M12345678"),
    ("hmt-permit", "H1234567801", "H1234567801"),
    # Residence permits: 810000 Hong Kong, 820000 Macao, GB 11643 check
    ("hkmo-residence-permit", "810000199001011230", "810000199001011230"),
    ("hkmo-residence-permit", "820000 19851231 007 x", "82000019851231007X"),
    # Mainland resident ID (stdnum's example, and one from Jiangmen)
    ("cn-id", "360426199101010071", "360426199101010071"),
    ("cn-id", "11010519491231002x", "11010519491231002X"),
    ("cn-id", "440703198001011234", "440703198001011234"),
    # USCC: a government department's code (from DOMAIN.md), a company's (stdnum's example)
    ("uscc", "11440600007039565U", "11440600007039565U"),
    ("uscc", "91110000600037341L", "91110000600037341L"),
    ("uscc", "9111 0000 6000 3734 1l", "91110000600037341L"),
    # Hong Kong BR / UBI
    ("hk-br", "12345678", "12345678"),
    ("hk-br", "c0012345", "C0012345"),
    # Passports
    ("passport", "E12345678", "E12345678"),
    ("passport", "k 1234 5", "K12345"),
    ("passport", "A" * 20, "A" * 20),
]


@pytest.mark.parametrize(("kind", "value", "normalized"), VALID)
def test_valid_numbers_normalise(kind, value, normalized):
    assert identifiers.validate(kind, value) == normalized


INVALID = [
    # kind, value, problem, message
    ("hkid", "", Problem.MISSING, "Enter the number."),
    ("hkid", "  ", Problem.MISSING, "Enter the number."),
    (
        "hkid",
        "A123456(4)",
        Problem.CHECK_DIGIT,
        "The check digit in brackets should be 3, not 4.",
    ),
    (
        "hkid",
        "CA182361(2)",
        Problem.CHECK_DIGIT,
        "The check digit in brackets should be 1, not 2.",
    ),
    (
        "hkid",
        "A123456(B)",
        Problem.CHARACTER,
        "The check digit in brackets should be a digit or the letter A, not “B”.",
    ),
    (
        "hkid",
        "123456(3)",
        Problem.PREFIX,
        "An HKID number starts with one or two letters, not “1”.",
    ),
    (
        "hkid",
        "A12345(3)",
        Problem.LENGTH,
        "An HKID number has one or two letters, six digits and a check digit "
        "(8 or 9 characters without the brackets); this one has 7.",
    ),
    (
        "hkid",
        "ABC123456(3)",
        Problem.LENGTH,
        "An HKID number has one or two letters, six digits and a check digit "
        "(8 or 9 characters without the brackets); this one has 10.",
    ),
    ("hkid", "A12B456(3)", Problem.CHARACTER, "Character 4 (“B”) should be a digit."),
    ("hkid", "A1234567(3)", Problem.CHARACTER, "Character 2 (“1”) should be a letter."),
    ("hkid", "A12#456(3)", Problem.CHARACTER, "Character 4 (“#”) should be a digit."),
    ("hkid", "A12\u200b456(3)", Problem.CHARACTER, "Character 4 (“U+200B”) should be a digit."),
    (
        "hkid",
        "A123(456)3",
        Problem.CHARACTER,
        "Only the last character goes in brackets, as in A123456(3).",
    ),
    (
        "mo-bir",
        "1234567",
        Problem.LENGTH,
        "A Macao identity card number has 8 digits, the last in brackets; "
        "this one has 7 characters.",
    ),
    (
        "mo-bir",
        "3234567(8)",
        Problem.PREFIX,
        "A Macao identity card number starts with 1, 5 or 7, not 3.",
    ),
    ("mo-bir", "12E4567(8)", Problem.CHARACTER, "Character 3 (“E”) should be a digit."),
    (
        "hmt-permit",
        "12345678",
        Problem.PREFIX,
        "A Mainland Travel Permit number starts with H (Hong Kong residents) or M "
        "(Macao residents), not “1”.",
    ),
    (
        "hmt-permit",
        "H1234567",
        Problem.LENGTH,
        "A Mainland Travel Permit number has H or M and 8 digits (9 characters; older "
        "permits add a 2-digit renewal count); this one has 8.",
    ),
    (
        "hmt-permit",
        "H123456780",
        Problem.LENGTH,
        "A Mainland Travel Permit number has H or M and 8 digits (9 characters; older "
        "permits add a 2-digit renewal count); this one has 10.",
    ),
    ("hmt-permit", "H1234O678", Problem.CHARACTER, "Character 6 (“O”) should be a digit."),
    (
        "hkmo-residence-permit",
        "81000019900101123",
        Problem.LENGTH,
        "A residence permit number has 18 characters; this one has 17.",
    ),
    (
        "hkmo-residence-permit",
        "830000199001011230",
        Problem.PREFIX,
        "A residence permit number for Hong Kong and Macao residents starts with 810000 "
        "(Hong Kong) or 820000 (Macao), not 830000.",
    ),
    (
        "hkmo-residence-permit",
        "440703198001011234",
        Problem.PREFIX,
        "A residence permit number for Hong Kong and Macao residents starts with 810000 "
        "(Hong Kong) or 820000 (Macao), not 440703.",
    ),
    (
        "hkmo-residence-permit",
        "810000199001011234",
        Problem.CHECK_DIGIT,
        "The last character (the check digit) should be 0, not 4.",
    ),
    (
        "hkmo-residence-permit",
        "810000199002301234",
        Problem.BIRTH_DATE,
        "Characters 7–14 should be the birth date, but 1990-02-30 is not a real date.",
    ),
    (
        "hkmo-residence-permit",
        "81000019900101123Y",
        Problem.CHARACTER,
        "The last character (the check digit) should be a digit or X, not “Y”.",
    ),
    (
        "cn-id",
        "11010519491231002",
        Problem.LENGTH,
        "A mainland identity card number has 18 characters; this one has 17.",
    ),
    (
        "cn-id",
        "110105194912310021",
        Problem.CHECK_DIGIT,
        "The last character (the check digit) should be X, not 1.",
    ),
    (
        "cn-id",
        "110105194913310021",
        Problem.BIRTH_DATE,
        "Characters 7–14 should be the birth date, but 1949-13-31 is not a real date.",
    ),
    ("cn-id", "1101051949I231002X", Problem.CHARACTER, "Character 11 (“I”) should be a digit."),
    (
        "cn-id",
        "810000199001011230",
        Problem.PREFIX,
        "Numbers starting with 81 belong to residence permits for Hong Kong, Macao and "
        "Taiwan residents, not to mainland identity cards.",
    ),
    (
        "cn-id",
        "990105194912310023",
        Problem.ADDRESS_CODE,
        "The first six digits (990105) are not a mainland address code.",
    ),
    (
        "uscc",
        "91110000600037341",
        Problem.LENGTH,
        "A unified social credit code has 18 characters; this one has 17.",
    ),
    (
        "uscc",
        "91110000600037341M",
        Problem.CHECK_DIGIT,
        "The last character (the check character) should be L, not M.",
    ),
    (
        "uscc",
        "9111000060003734IL",
        Problem.CHARACTER,
        "Character 17 (“I”) should be a digit or a capital letter other than I, O, S, V and Z.",
    ),
    ("uscc", "A1110000600037341L", Problem.CHARACTER, "Character 1 (“A”) should be a digit."),
    (
        "hk-br",
        "1234567",
        Problem.LENGTH,
        "A Hong Kong business registration number has 8 characters (8 digits, or a letter "
        "and 7 digits); this one has 7.",
    ),
    ("hk-br", "CC012345", Problem.CHARACTER, "Character 2 (“C”) should be a digit."),
    (
        "hk-br",
        "#1234567",
        Problem.CHARACTER,
        "Character 1 (“#”) should be a letter or a digit.",
    ),
    (
        "passport",
        "E123",
        Problem.LENGTH,
        "A passport number has 5 to 20 letters and digits; this one has 4.",
    ),
    (
        "passport",
        "E" * 21,
        Problem.LENGTH,
        "A passport number has 5 to 20 letters and digits; this one has 21.",
    ),
    ("passport", "E123/456", Problem.CHARACTER, "Character 5 (“/”) should be a letter or a digit."),
]


@pytest.mark.parametrize(("kind", "value", "problem", "message"), INVALID)
def test_invalid_numbers_say_what_is_wrong(kind, value, problem, message):
    with pytest.raises(InvalidIdentifier) as caught:
        identifiers.validate(kind, value)
    assert caught.value.problem == problem
    assert str(caught.value) == message


def test_every_kind_has_valid_and_invalid_cases():
    kinds = set(IdentifierKind.values)
    assert {kind for kind, *_ in VALID} == kinds
    assert {kind for kind, *_ in INVALID} == kinds


def test_invalid_identifier_is_a_value_error():
    with pytest.raises(ValueError):
        identifiers.validate_hkid("A123456(4)")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        identifiers.validate("driving-licence", "A123456(3)")


def test_birth_date_in_the_future_is_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = f"810000{tomorrow:%Y%m%d}123"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(InvalidIdentifier) as caught:
        identifiers.validate_hkmo_residence_permit(number)
    assert caught.value.problem == Problem.BIRTH_DATE
    assert str(caught.value) == (
        f"Characters 7–14 should be the birth date, but {tomorrow:%Y-%m-%d} is in the future."
    )


def test_mainland_id_accepts_a_district_created_after_the_birth_year():
    # 440703 (Pengjiang, Jiangmen) exists since 1994; people born earlier and registered
    # there later hold such numbers. python-stdnum's validate() would refuse this one.
    with pytest.raises(InvalidComponent):
        ric.validate("440703198001011234")
    assert identifiers.validate_mainland_resident_id("440703198001011234")


def test_errors_render_in_the_language_active_when_shown():
    with translation.override("en"):
        error = identifiers.check("hkid", "A123456(4)").error
        assert str(error) == "The check digit in brackets should be 3, not 4."
    assert error.params == {"expected": "3", "given": "4"}
    for language in ("zh-hans", "zh-hant", "pt"):
        with translation.override(language):
            expected = translation.gettext(
                "The check digit in brackets should be %(expected)s, not %(given)s."
            ) % {"expected": "3", "given": "4"}
            assert str(error) == expected


def test_check_reports_instead_of_raising():
    good = identifiers.check("hkid", "a1234563")
    assert (good.valid, good.normalized, good.error) == (True, "A123456(3)", None)
    bad = identifiers.check("hkid", "A1234564")
    assert (bad.valid, bad.normalized) == (False, None)
    assert bad.error.problem == Problem.CHECK_DIGIT


def test_permit_person_key_is_the_same_across_renewals():
    assert identifiers.permit_person_key("H1234567801") == "H12345678"
    assert identifiers.permit_person_key("h12345678 03") == "H12345678"
    assert identifiers.permit_person_key("H12345678") == "H12345678"
    with pytest.raises(InvalidIdentifier):
        identifiers.permit_person_key("X12345678")


MASKED = [
    ("hkid", "A123456(3)", "A12****(3)"),
    ("hkid", "CA182361(1)", "CA1*****(1)"),
    ("mo-bir", "1234567(8)", "12*****(8)"),
    ("hmt-permit", "H12345678", "H1*****78"),
    ("hmt-permit", "H1234567801", "H1*******01"),
    ("hkmo-residence-permit", "810000199001011230", "81**************30"),
    ("cn-id", "11010519491231002X", "11**************2X"),
    ("uscc", "91110000600037341L", "91**************1L"),
    ("hk-br", "C0012345", "C0*****5"),
    ("passport", "E12345678", "E1******8"),
    ("passport", "K1234", "K***4"),
]


@pytest.mark.parametrize(("kind", "normalized", "masked"), MASKED)
def test_masked_forms(kind, normalized, masked):
    assert identifiers.mask(kind, normalized) == masked
