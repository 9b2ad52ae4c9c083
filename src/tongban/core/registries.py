"""A tiny named registry for plugins: signers, scanners, notification channels, providers.

Apps register at import or in ``AppConfig.ready()``; settings pick a name; callers ``get`` it.
Core owns the registry object, so an app core cannot import can still plug into core.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T | None = None, *, replace: bool = False):
        """``registry.register("name", entry)``, or as a decorator: ``@registry.register("name")``."""

        def add(value: T) -> T:
            if name in self._entries and not replace and self._entries[name] is not value:
                raise ValueError(f"A {self.kind} named {name!r} is already registered.")
            self._entries[name] = value
            return value

        if entry is None:
            return add
        return add(entry)

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise LookupError(f"No {self.kind} named {name!r} (registered: {known}).") from None

    def names(self) -> list[str]:
        return sorted(self._entries)

    def items(self) -> Iterator[tuple[str, T]]:
        return iter(sorted(self._entries.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)
