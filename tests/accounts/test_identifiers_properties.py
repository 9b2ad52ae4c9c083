"""Properties of the identifier checks, over generated numbers.

Valid numbers are built with reference check-digit formulas written here from the wording
of DOMAIN.md §5, independently of the code under test.
"""

import datetime as dt
import string

from hypothesis import assume, example, given
from hypothesis import strategies as st

from tongban.accounts import identifiers
from tongban.accounts.identifiers import IdentifierKind, InvalidIdentifier

LETTERS = string.ascii_uppercase
DIGITS = string.digits
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def hkid_check(body: str) -> str:
    letters, digits = body[:-6], body[-6:]
    values = [36] * (2 - len(letters)) + [LETTERS.index(ch) + 10 for ch in letters]
    values += [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, [9, 8, 7, 6, 5, 4, 3, 2], strict=True))
    return "0123456789A"[(11 - total % 11) % 11]


def gb11643_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def uscc_check(body: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def text_of(alphabet: str, size: int):
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


@st.composite
def hkid_numbers(draw) -> str:
    body = draw(st.sampled_from([1, 2]).flatmap(lambda n: text_of(LETTERS, n)))
    body += draw(text_of(DIGITS, 6))
    return f"{body}({hkid_check(body)})"


@st.composite
def gb11643_numbers(draw, address_codes: list[str]) -> str:
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()))
    body = draw(st.sampled_from(address_codes)) + f"{birth:%Y%m%d}" + draw(text_of(DIGITS, 3))
    return body + gb11643_check(body)


@st.composite
def uscc_numbers(draw) -> str:
    body = draw(text_of(DIGITS, 8)) + draw(text_of(CREDIT_CODE_ALPHABET, 9))
    return body + uscc_check(body)


# Address codes of Beijing, Shanghai, Guangzhou and the Jiangmen districts and cities.
MAINLAND_ADDRESS_CODES = ["110101", "310104", "440106", "440703", "440781", "440783", "440785"]

# Valid numbers of each kind, in normalised form.
VALID_NUMBERS = {
    IdentifierKind.HKID: hkid_numbers(),
    IdentifierKind.MACAU_BIR: st.builds(
        lambda first, rest: f"{first}{rest[:6]}({rest[6]})",
        st.sampled_from("157"),
        text_of(DIGITS, 7),
    ),
    IdentifierKind.MAINLAND_TRAVEL_PERMIT: st.builds(
        lambda prefix, digits, renewals: prefix + digits + renewals,
        st.sampled_from("HM"),
        text_of(DIGITS, 8),
        st.sampled_from(["", "00", "01", "12"]),
    ),
    IdentifierKind.HKMO_RESIDENCE_PERMIT: gb11643_numbers(["810000", "820000"]),
    IdentifierKind.MAINLAND_RESIDENT_ID: gb11643_numbers(MAINLAND_ADDRESS_CODES),
    IdentifierKind.USCC: uscc_numbers(),
    IdentifierKind.HK_BUSINESS_REGISTRATION: st.builds(
        lambda first, rest: first + rest, st.sampled_from(LETTERS + DIGITS), text_of(DIGITS, 7)
    ),
    IdentifierKind.PASSPORT: st.text(alphabet=LETTERS + DIGITS, min_size=5, max_size=20),
}

kinds_and_numbers = st.sampled_from(sorted(VALID_NUMBERS)).flatmap(
    lambda kind: st.tuples(st.just(kind), VALID_NUMBERS[kind])
)


def test_every_kind_has_a_generator():
    assert set(VALID_NUMBERS) == set(IdentifierKind)


@given(kinds_and_numbers)
def test_generated_valid_numbers_pass_unchanged(kind_and_number):
    kind, number = kind_and_number
    assert identifiers.validate(kind, number) == number


def unbracketed(number: str) -> str:
    if number.endswith(")"):
        return number[:-3] + number[-2]
    return number


def rebracketed(like: str, characters: str) -> str:
    if like.endswith(")"):
        return f"{characters[:-1]}({characters[-1]})"
    return characters


@st.composite
def typed_variants(draw, number: str) -> str:
    """The number as a person might type it: brackets or not, spaces, case, full width."""
    if number.endswith(")") and draw(st.booleans()):
        number = unbracketed(number)
    typed = draw(st.sampled_from(["", " ", "\u3000"]))
    for ch in number:
        if ch in LETTERS and draw(st.booleans()):
            ch = ch.lower()
        if draw(st.booleans()):
            ch = chr(ord(ch) + 0xFEE0)  # the full-width form of an ASCII character
        typed += ch + draw(st.sampled_from(["", "", " ", "\u3000", "-"]))
    return typed


@given(st.data())
def test_formatting_variants_normalise_to_one_form(data):
    kind, number = data.draw(kinds_and_numbers)
    typed = data.draw(typed_variants(number))
    assert identifiers.validate(kind, typed) == number


HKID_LETTER_VALUE = {ch: LETTERS.index(ch) + 10 for ch in LETTERS}


def hkid_substitution_is_check_consistent(characters: str, index: int, new: str) -> bool:
    """A letter swapped for one 11 or 22 places away changes the weighted sum by a
    multiple of 11: the HKID check cannot see it, and the result is another valid number."""
    letter_count = len(characters) - 7
    old = characters[index]
    return (
        index < letter_count
        and new in LETTERS
        and (HKID_LETTER_VALUE[new] - HKID_LETTER_VALUE[old]) % 11 == 0
    )


CHECKED_KINDS = [
    IdentifierKind.HKID,
    IdentifierKind.HKMO_RESIDENCE_PERMIT,
    IdentifierKind.MAINLAND_RESIDENT_ID,
    IdentifierKind.USCC,
]


@given(st.data())
@example(data=None)  # the documented blind spot, always tried: A123456(3) → L123456(3)
def test_any_single_substitution_is_caught_by_the_check_digit(data):
    if data is None:
        kind, number, index, new = IdentifierKind.HKID, "A123456(3)", 0, "L"
    else:
        kind = data.draw(st.sampled_from(CHECKED_KINDS))
        number = data.draw(VALID_NUMBERS[kind])
        index = data.draw(st.integers(0, len(unbracketed(number)) - 1))
        new = data.draw(st.sampled_from(LETTERS + DIGITS))
    characters = unbracketed(number)
    assume(new != characters[index])
    changed = rebracketed(number, characters[:index] + new + characters[index + 1 :])
    if kind == IdentifierKind.HKID and hkid_substitution_is_check_consistent(
        characters, index, new
    ):
        assert identifiers.validate(kind, changed) == changed
        return
    result = identifiers.check(kind, changed)
    assert not result.valid, changed
    assert str(result.error)


def test_the_hkid_blind_spot_is_only_letters_eleven_apart():
    # GB 11643 and USCC use a prime modulus larger than any difference between two
    # characters, so every substitution shows; HKID letters run from 10 to 35, so A, L and
    # W (10, 21, 32) are interchangeable, and so on.
    interchangeable = {
        frozenset(ch for ch in LETTERS if HKID_LETTER_VALUE[ch] % 11 == r) for r in range(11)
    }
    assert frozenset("ALW") in interchangeable
    assert identifiers.validate("hkid", "W123456(3)") == "W123456(3)"


@given(kinds_and_numbers)
def test_normalised_numbers_are_accepted_as_they_are(kind_and_number):
    kind, number = kind_and_number
    normalized = identifiers.validate(kind, number)
    assert identifiers.validate(kind, normalized) == normalized


@given(st.sampled_from(list(IdentifierKind)), st.text(max_size=64))
@example(IdentifierKind.HKID, "⑶")
@example(IdentifierKind.HKID, "()")
@example(IdentifierKind.MACAU_BIR, "(((((((((")
@example(IdentifierKind.HKID, "\u200b")
def test_any_text_gets_a_number_or_a_reason(kind, text):
    try:
        normalized = identifiers.validate(kind, text)
    except InvalidIdentifier as error:
        assert str(error)
    else:
        assert identifiers.validate(kind, normalized) == normalized


@given(kinds_and_numbers)
def test_mask_never_reveals_the_whole_number(kind_and_number):
    kind, number = kind_and_number
    masked = identifiers.mask(kind, number)
    assert len(masked) == len(number)
    revealed = [
        (shown, real) for shown, real in zip(masked, number, strict=True) if shown not in "*()"
    ]
    assert all(shown == real for shown, real in revealed)
    assert 1 <= len(revealed) <= 4
    assert len(revealed) <= len(unbracketed(number)) // 2
