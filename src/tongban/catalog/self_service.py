"""Self-service links: an app that serves a catalog item on the spot, without a case (a
certificate printed from the department's records), registers where the item's page sends
people instead of "Apply online". Keyed by the item's basic code (基本编码), the same for every
department that implements the item, so the catalog never matches names."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from tongban.core.registries import Registry


@dataclass(frozen=True)
class SelfService:
    label: str | Promise  # the button, e.g. "Get the certificate"
    url: str | Promise  # where it leads, e.g. /certificates/?kind=social_insurance
    note: str | Promise = ""  # one line under the button


LINKS: Registry[SelfService] = Registry("self-service link")


def register_self_service(basic_code: str, link: SelfService) -> SelfService:
    return LINKS.register(basic_code, link, replace=True)


def self_service_for(item) -> SelfService | None:
    """The self-service way to get ``item``, or None when it is applied for as a case."""
    return LINKS.get(item.basic_code) if item.basic_code in LINKS else None
