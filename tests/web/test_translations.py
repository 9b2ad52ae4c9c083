"""Every message exists in the four languages, and the shipped .mo files match the .po files."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tongban" / "locale"


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "pt"])
def test_every_message_is_translated(language):
    missing = [
        entry.msgid
        for entry in catalog(language)
        if not entry.obsolete and ("fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())))
    ]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:10]}"


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "en", "pt"])
def test_compiled_catalog_matches_source(language, tmp_path):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"
    shipped = polib.mofile(str(po_file.with_suffix(".mo")))
    fresh = tmp_path / "fresh.mo"
    catalog(language).save_as_mofile(str(fresh))
    as_dict = lambda mo: {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}  # noqa: E731
    assert as_dict(shipped) == as_dict(polib.mofile(str(fresh))), "run: python scripts/i18n.py compile"


def test_traditional_chinese_uses_hong_kong_forms():
    with translation.override("zh-hant"):
        assert translation.gettext("Search") == "搜尋"
    with translation.override("zh-hans"):
        assert translation.gettext("Search") == "搜索"
    with translation.override("pt"):
        assert translation.gettext("Search") == "Pesquisar"
