"""The ``tongban`` command: ``tongban serve`` and every Django management command."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    # Commands speak the language of the terminal's locale (zh_HK.UTF-8 → 繁體), as the
    # pages speak the browser's.
    from tongban.core.locale import language_from_environment

    translation.activate(language_from_environment())
    execute_from_command_line(["tongban", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
