"""Translation catalogs: extract, derive traditional Chinese, compile.

    python scripts/i18n.py extract   # django makemessages for the four languages (needs GNU gettext)
    python scripts/i18n.py hant      # zh_Hant from zh_Hans with OpenCC s2hk + reviewed overrides
    python scripts/i18n.py compile   # .po -> .mo with polib (no msgfmt needed)
    python scripts/i18n.py all
    python scripts/i18n.py todo zh_Hans OUT_DIR [CHUNK]   # untranslated messages as JSON chunks
    python scripts/i18n.py merge zh_Hans FILE.json…       # write translated chunks into the .po
    python scripts/i18n.py merge-all FILE.json…           # rows {"msgid", "zh_Hans", "pt", …} into both

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
    subprocess.run(command, cwd=ROOT / "src" / "tongban", env=env, check=True)  # noqa: S603


# Words where OpenCC's Hong Kong forms are still mainland usage; longest first. Reviewed
# against Hong Kong and Macau government sites' wording.
HONG_KONG_WORDING = [
    ("退出登錄", "登出"),
    ("登錄", "登入"),
    ("搜索", "搜尋"),
    ("個人信息", "個人資料"),
    ("我的數據", "我的資料"),
    ("信息", "資訊"),
    ("電子郵箱", "電郵地址"),
    ("郵箱", "電郵"),
    ("電子郵件", "電郵"),
    ("視頻", "視像"),
    ("默認", "預設"),
    ("打印", "列印"),
    ("短信", "短訊"),
    ("賬户", "帳戶"),
    ("賬號", "帳戶"),
    ("驗證器應用", "驗證應用程式"),
    ("設置", "設定"),
]


def hong_kong_wording(text: str) -> str:
    for mainland, hong_kong in HONG_KONG_WORDING:
        text = text.replace(mainland, hong_kong)
    return text


def derive_traditional() -> None:
    import opencc

    s2hk = opencc.OpenCC("s2hk").convert

    def convert(text: str) -> str:
        return hong_kong_wording(s2hk(text))

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


def _untranslated(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    return not (entry.msgstr or any(entry.msgstr_plural.values()))


def export_todo(language: str, out_dir: str, chunk: int = 400) -> None:
    """Untranslated messages as JSON files [{"msgid", "msgid_plural", "msgctxt", "msgstr"}…]."""
    import json

    todo = [
        {"msgctxt": e.msgctxt, "msgid": e.msgid, "msgid_plural": e.msgid_plural, "msgstr": "", "msgstr_plural": []}
        for e in polib.pofile(str(po_path(language)))
        if _untranslated(e)
    ]
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(todo), chunk), start=1):
        (target / f"{language}-{number:02d}.json").write_text(
            json.dumps(todo[start : start + chunk], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    print(f"{len(todo)} untranslated messages in {language}")


def merge(language: str, files: list[str]) -> None:
    import json

    catalog = polib.pofile(str(po_path(language)))
    by_key = {(e.msgctxt, e.msgid): e for e in catalog}
    merged = 0
    for name in files:
        for row in json.loads(Path(name).read_text(encoding="utf-8")):
            entry = by_key.get((row.get("msgctxt"), row["msgid"]))
            if entry is None:
                continue
            if entry.msgid_plural and row.get("msgstr_plural"):
                entry.msgstr_plural = dict(enumerate(row["msgstr_plural"]))
            elif row.get("msgstr"):
                entry.msgstr = row["msgstr"]
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            merged += 1
    catalog.save()
    print(f"merged {merged} messages into {language}")


def merge_all(files: list[str]) -> None:
    """Rows carrying every language at once: {"msgid", "msgctxt", "zh_Hans", "pt", …_plural}."""
    import json
    import tempfile

    for language in ("zh_Hans", "pt"):
        rows = []
        for name in files:
            for row in json.loads(Path(name).read_text(encoding="utf-8")):
                rows.append(
                    {
                        "msgctxt": row.get("msgctxt"),
                        "msgid": row["msgid"],
                        "msgstr": row.get(language) or "",
                        "msgstr_plural": row.get(f"{language}_plural") or [],
                    }
                )
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False)
        merge(language, [out.name])
        Path(out.name).unlink()


def main() -> None:
    action = sys.argv[1] if len(sys.argv) > 1 else "all"
    if action == "merge-all":
        merge_all(sys.argv[2:])
        return
    if action == "todo":
        export_todo(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 400)
        return
    if action == "merge":
        merge(sys.argv[2], sys.argv[3:])
        return
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
