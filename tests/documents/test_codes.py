"""Verification codes people type, and the registry of document kinds with their numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongban.documents import codes
from tongban.documents.codes import ALPHABET, InvalidCode, format_code, normalise_code

code_strategy = st.text(alphabet=ALPHABET, min_size=12, max_size=12)


def test_new_codes_are_12_symbols_of_the_unambiguous_alphabet():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(code) == 12 and set(code) <= set(ALPHABET) for code in drawn)
    assert not set("ILOU") & set("".join(drawn))
    assert set("".join(drawn)) == set(ALPHABET)  # every symbol is used


@given(code_strategy, st.sampled_from(["-", " ", "", " - ", "\u2010", "\u3000"]), st.booleans())
def test_a_code_survives_any_case_and_grouping(code, separator, lower):
    typed = separator.join(code[i : i + 4] for i in (0, 4, 8))
    typed = typed.lower() if lower else typed
    assert normalise_code(f"  {typed} ") == code


@given(code_strategy)
def test_o_i_and_l_typed_for_0_and_1_are_forgiven(code):
    typed = code.replace("0", "O").replace("1", "I")
    assert normalise_code(typed) == code
    assert normalise_code(code.replace("1", "l")) == code


@given(code_strategy, st.integers(min_value=0, max_value=11), st.sampled_from("U!#?é陳/*+"))
def test_a_character_outside_the_alphabet_is_named(code, position, strange):
    typed = code[:position] + strange + code[position + 1 :]
    with pytest.raises(InvalidCode) as failure:
        normalise_code(typed)
    assert strange.upper() in str(failure.value.message)


@pytest.mark.parametrize("typed", ["", "   ", "ABCD", "ABCD-EFGH-JKMN-P"])
def test_empty_short_or_long_codes_say_so(typed):
    with pytest.raises(InvalidCode):
        normalise_code(typed)


def test_format_code_groups_by_four():
    assert format_code("7K2M9QXD4HTP") == "7K2M-9QXD-4HTP"


def test_verification_url(settings):
    settings.TONGBAN_PUBLIC_URL = "https://tongban.example.org/"
    assert codes.verification_url() == "https://tongban.example.org/verify"
    assert codes.verification_url(token="a.b-c_d") == "https://tongban.example.org/verify?t=a.b-c_d"
    assert codes.verification_url(code="7K2M9QXD4HTP").endswith("/verify?code=7K2M9QXD4HTP")


# --- kinds ----------------------------------------------------------------------------------


@pytest.fixture
def kind():
    registered = codes.register_kind(codes.DocumentKind("sample_letter", "Sample letter", "SML"))
    yield registered
    codes.unregister_kind("sample_letter")


def test_numbers_are_prefix_year_and_six_digits(kind):
    assert kind.format_number(2026, 123) == "SML-2026-000123"
    assert kind.counter_name(2026) != kind.counter_name(2027)


def test_registering_the_same_kind_twice_is_harmless_but_a_clash_is_refused(kind):
    assert codes.register_kind(codes.DocumentKind("sample_letter", "Sample letter", "SML")) is kind
    with pytest.raises(ValueError):
        codes.register_kind(codes.DocumentKind("sample_letter", "Other", "SMX"))
    with pytest.raises(ValueError, match="already used"):
        codes.register_kind(codes.DocumentKind("other_letter", "Other", "SML"))


@pytest.mark.parametrize(
    "name, prefix", [("Bad Name", "ABC"), ("ok_name", "abc"), ("ok_name", "A")]
)
def test_kind_names_and_prefixes_are_checked(name, prefix):
    with pytest.raises(ValueError):
        codes.DocumentKind(name, "label", prefix)


def test_labels_of_unregistered_kinds_fall_back_to_the_name(kind):
    assert codes.kind_label("sample_letter") == "Sample letter"
    assert codes.kind_label("retired_kind") == "retired_kind"
    with pytest.raises(LookupError):
        codes.get_kind("retired_kind")
