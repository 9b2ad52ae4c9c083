"""Record providers: where each kind of department data comes from.

``RecordProvider`` is the interface (``fetch`` and ``check``); ``registry`` holds the provider
classes by name (``local`` built in, ``http`` for a remote department system); the setting
``TONGBAN_RECORD_PROVIDERS`` picks one per kind (``docs/records-providers.md``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from tongban.core.registries import Registry

from .constants import RecordKind
from .subjects import Subject
from .types import Record


@dataclass(frozen=True)
class ProviderHealth:
    """A provider's answer to ``check()``, for the health page."""

    name: str
    ok: bool
    detail: str


class RecordProvider(ABC):
    """Fetches one kind of department record about one subject."""

    name: str = ""

    @abstractmethod
    def fetch(self, kind: str, subject: Subject) -> Record | None:
        """The record of ``kind`` about ``subject``; None when the department has none.

        Raises ``RecordUnavailable`` when the department's system cannot answer.
        """

    @abstractmethod
    def check(self) -> ProviderHealth:
        """Whether the provider can answer now (never raises)."""


registry: Registry[type[RecordProvider]] = Registry("record provider")


def configured_names() -> dict[str, str]:
    """kind → provider name, from ``TONGBAN_RECORD_PROVIDERS`` (``*=local,tax=http``)."""
    entries = getattr(settings, "TONGBAN_RECORD_PROVIDERS", ["*=local"])
    if isinstance(entries, str):
        entries = [part for part in entries.split(",") if part.strip()]
    default = "local"
    chosen: dict[str, str] = {}
    for entry in entries:
        kind, separator, name = entry.strip().partition("=")
        if not separator:
            default = kind.strip()
            continue
        kind = kind.strip()
        if kind == "*":
            default = name.strip()
        elif kind in RecordKind.values:
            chosen[kind] = name.strip()
        else:
            raise ValueError(f"TONGBAN_RECORD_PROVIDERS names an unknown kind {kind!r}")
    return {kind: chosen.get(kind, default) for kind in RecordKind.values}


@cache
def _instance(name: str) -> RecordProvider:
    return registry.get(name)()


def provider_for(kind: str) -> RecordProvider:
    return _instance(configured_names()[RecordKind(kind)])


def forget_providers() -> None:
    _instance.cache_clear()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    if setting.startswith("TONGBAN_RECORD"):
        forget_providers()


from . import local, remote  # noqa: E402  (each registers itself)

registry.register("local", local.LocalRecordProvider)
registry.register("http", remote.HttpJsonRecordProvider)
