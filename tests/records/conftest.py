import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (their msgids); the default language is 简体."""
    with translation.override("en"):
        yield
