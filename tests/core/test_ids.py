"""The API's one bounded id type: positive, and within the database's 64-bit integers."""

import pytest
from pydantic import TypeAdapter, ValidationError

from tongban.core.ids import DATABASE_ID_MAX, DatabaseId, database_id

ids = TypeAdapter(DatabaseId)


def test_the_bound_is_the_largest_signed_64_bit_integer():
    assert ids.validate_python(DATABASE_ID_MAX) == 2**63 - 1
    for bad in (0, -1, 2**63, 10**26):
        with pytest.raises(ValidationError):
            ids.validate_python(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), (" 42 ", 42), (str(DATABASE_ID_MAX), DATABASE_ID_MAX)]
    + [(bad, None) for bad in ("0", "-3", "1.5", "x", "", "٣", str(2**63), "9" * 30)],
)
def test_ids_read_by_hand(text, expected):
    assert database_id(text) == expected
