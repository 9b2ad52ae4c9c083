"""Translation catalogs: extract, derive traditional Chinese, compile.

    python scripts/i18n.py extract   # django makemessages for the four languages (needs GNU gettext)
    python scripts/i18n.py hant      # zh_Hant from zh_Hans with OpenCC s2hk + reviewed overrides
    python scripts/i18n.py compile   # .po -> .mo with polib (no msgfmt needed)
    python scripts/i18n.py all

Simplified Chinese is the source of truth for Chinese: zh_Hant is derived from it, with
``locale/zh_Hant_overrides.po`` taking precedence where OpenCC's Hong Kong forms are not what
Hong Kong and Macau readers expect. English msgids are the code's; ``en`` needs no msgstr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "tongban" / "locale"
LANGUAGES = ["zh_Hans", "zh_Hant", "en", "pt"]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def extract() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongban.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--no-location"]
    for language in LANGUAGES:
        command += ["-l", language]
    subprocess.run(command, cwd=ROOT / "src" / "tongban", env=env, check=True)


def derive_traditional() -> None:
    import opencc

    convert = opencc.OpenCC("s2hk").convert
    simplified = polib.pofile(str(po_path("zh_Hans")))
    overrides_file = LOCALE / "zh_Hant_overrides.po"
    overrides = {e.msgid: e.msgstr for e in polib.pofile(str(overrides_file))} if overrides_file.exists() else {}
    traditional = polib.pofile(str(po_path("zh_Hant")))
    by_id = {(e.msgctxt, e.msgid): e for e in simplified}
    for entry in traditional:
        source = by_id.get((entry.msgctxt, entry.msgid))
        if source is None:
            continue
        if entry.msgid in overrides:
            entry.msgstr = overrides[entry.msgid]
        elif source.msgid_plural:
            entry.msgstr_plural = {k: convert(v) for k, v in source.msgstr_plural.items()}
        else:
            entry.msgstr = convert(source.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    traditional.save()


def compile_catalogs() -> None:
    for language in LANGUAGES:
        po = polib.pofile(str(po_path(language)))
        po.save_as_mofile(str(po_path(language).with_suffix(".mo")))


def main() -> None:
    action = sys.argv[1] if len(sys.argv) > 1 else "all"
    steps = {
        "extract": [extract],
        "hant": [derive_traditional],
        "compile": [compile_catalogs],
        "all": [extract, derive_traditional, compile_catalogs],
    }
    if action not in steps:
        sys.exit(__doc__)
    for step in steps[action]:
        step()


if __name__ == "__main__":
    main()
