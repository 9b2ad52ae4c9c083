"""The language a person at a terminal reads: from their locale variables, like any Unix tool."""

import os
from collections.abc import Mapping

from django.conf import settings
from django.utils import translation

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def supported_language(locale_name: str) -> str | None:
    """``zh_HK.UTF-8`` → ``zh-hant``, ``pt_PT`` → ``pt``; None for ``C``, ``POSIX`` or a language
    Tongban does not speak."""
    code = locale_name.split(".")[0].split("@")[0]
    if not code or code in {"C", "POSIX"}:
        return None
    try:
        return translation.get_supported_language_variant(translation.to_language(code))
    except LookupError:
        return None


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The first supported language in $LANGUAGE (a colon list), $LC_ALL, $LC_MESSAGES, $LANG."""
    for variable in LOCALE_VARIABLES:
        for locale_name in environ.get(variable, "").split(":"):
            language = supported_language(locale_name)
            if language:
                return language
    return settings.LANGUAGE_CODE
