"""``tongban catalog import|export|stats|search``: the catalog from the command line.

Every subcommand calls ``catalog.services``; this file only reads arguments and prints.
Messages follow ``--language``, else $LANGUAGE / $LC_ALL / $LC_MESSAGES / $LANG, else
simplified Chinese.
"""

from __future__ import annotations

import getpass
import json
import sys
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tongban.catalog import constants as c
from tongban.catalog import services
from tongban.core.locale import language_from_environment

LANGUAGES = ("zh-hans", "zh-hant", "en", "pt")
REFUSED = 1


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    """Rows aligned in columns; Chinese characters count double, as a terminal shows them."""
    rows = [[cell.replace("\n", "⏎") for cell in row] for row in rows]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Import, export, count and search the service catalog.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            help=_("language of messages (default: from $LANG, else zh-hans)"),
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        importing = actions.add_parser(
            "import",
            help=_("import an .xlsx, .csv or .json file in the official layout"),
        )
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and report what would change; write nothing"),
        )
        importing.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("write the valid rows and report the others (default: all or nothing)"),
        )
        importing.add_argument("--language", choices=LANGUAGES, dest="sub_language")
        importing.add_argument(
            "--actor", help=_("who is importing (default: the system user name)")
        )

        exporting = actions.add_parser("export", help=_("write the catalog in the official layout"))
        exporting.add_argument("--format", choices=("xlsx", "csv", "json"), required=True)
        exporting.add_argument(
            "--output", type=Path, help=_("file to write (default: standard output)")
        )
        exporting.add_argument(
            "--table",
            choices=("items", "departments", "synonyms"),
            help=_("one table only (a CSV file holds one; default: items)"),
        )
        exporting.add_argument("--language", choices=LANGUAGES, dest="sub_language")

        stats = actions.add_parser("stats", help=_("count the catalog's items"))
        stats.add_argument("--json", action="store_true", help=_("one JSON object"))
        stats.add_argument("--language", choices=LANGUAGES, dest="sub_language")

        search = actions.add_parser("search", help=_("search the catalog"))
        search.add_argument("query")
        search.add_argument("--limit", type=int, default=10)
        search.add_argument("--json", action="store_true", help=_("a JSON list"))
        search.add_argument("--language", choices=LANGUAGES, dest="sub_language")

    def handle(self, *args, **options):
        language = (
            options.get("sub_language") or options.get("language") or language_from_environment()
        )
        options["language"] = language
        with translation.override(language):
            getattr(self, f"handle_{options['action']}")(**options)

    # --- import -----------------------------------------------------------------------

    def handle_import(
        self, *, file: Path, dry_run: bool, skip_invalid: bool, language: str, **options
    ):
        from tqdm import tqdm

        with tqdm(
            desc=_("Reading rows"), unit=_("rows"), file=sys.stderr, disable=None, leave=False
        ) as bar:

            def progress(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = services.import_catalog(
                file,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                actor=options.get("actor") or _system_user(),
                language=language,
                progress=progress,
            )
        if report.problems:
            header = [_("Sheet"), _("Row"), _("Column"), _("Value"), _("Reason")]
            with_sheets = any(p.sheet for p in report.problems)
            rows = [
                [p.sheet, str(p.row or "–"), p.column or "–", p.value, p.reason]
                for p in report.problems
            ]
            if not with_sheets:
                header, rows = header[1:], [row[1:] for row in rows]
            self.stdout.write(_table(header, rows))
            self.stdout.write("")
        self.stdout.write(
            _(
                "Created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d, "
                "rejected: %(rejected)d."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
            }
        )
        if report.refused:
            raise CommandError(
                _(
                    "Nothing was written: %(count)d problem(s) in %(file)s. Fix them, or use --skip-invalid."
                )
                % {"count": len(report.problems), "file": report.file_name},
                returncode=REFUSED,
            )
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.rejected:
            self.stdout.write(
                self.style.WARNING(
                    _("Written, except %(rejected)d invalid row(s) listed above.")
                    % {"rejected": report.rejected}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Imported %(file)s.") % {"file": report.file_name})
            )

    # --- export -----------------------------------------------------------------------

    def handle_export(self, *, format: str, output: Path | None, table: str | None, **options):
        if format == "csv" and table is None:
            table = "items"
        if output is not None:
            partial = output.with_name(output.name + ".partial")
            with partial.open("wb") as stream:
                services.export_catalog(format, stream, table=table)
            partial.replace(output)  # never leave half a file under the real name
            self.stderr.write(_("Wrote %(file)s.") % {"file": output})
            return
        binary = getattr(getattr(self.stdout, "_out", None), "buffer", None)
        if format == "xlsx":
            if binary is None or self.stdout.isatty():
                raise CommandError(
                    _("An xlsx workbook is binary: use --output FILE or redirect the output."),
                    returncode=REFUSED,
                )
            services.export_catalog(format, binary, table=table)
            binary.flush()
            return
        import io

        buffer = io.BytesIO()
        services.export_catalog(format, buffer, table=table)
        self.stdout.write(buffer.getvalue().decode("utf-8-sig"), ending="")

    # --- stats and search -------------------------------------------------------------

    def handle_stats(self, *, json: bool, **options):
        figures = services.catalog_stats()
        if json:
            self.stdout.write(_json(figures))
            return
        labels = [
            (_("Items (active)"), figures["items"]),
            (_("Departments"), figures["departments"]),
            (_("Province-wide (全省)"), figures["province_wide"]),
            (_("High-frequency"), figures["high_frequency"]),
            (
                _("Entered the zones in %(year)d") % {"year": figures["year"]},
                figures["new_this_year"],
            ),
            (_("Suspended"), figures.get("suspended", 0)),
        ]
        labels += [
            (f"  {c.ItemType(kind).label}", count) for kind, count in figures["by_type"].items()
        ]
        self.stdout.write(_table([_("Figure"), _("Count")], [[str(a), str(b)] for a, b in labels]))

    def handle_search(self, *, query: str, limit: int, json: bool, language: str, **options):
        items = services.search_items(query, limit=limit)
        if json:
            found = [
                {
                    "implementation_code": item.implementation_code,
                    "names": {
                        "zh_hans": item.name_zh_hans,
                        "zh_hant": item.name_zh_hant,
                        "en": item.name_en,
                        "pt": item.name_pt,
                    },
                }
                for item in items
            ]
            self.stdout.write(_json(found))
            return
        if not items:
            self.stdout.write(_("No items found."))
            return
        rows = [[item.implementation_code, item.localized("name", language)] for item in items]
        self.stdout.write(_table([_("Implementation code"), _("Name")], rows))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return "cli"
