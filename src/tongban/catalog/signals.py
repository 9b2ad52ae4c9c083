"""Keep the search index fresh: any catalog write moves the revision counter."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import services
from .models import Department, SearchSynonym, ServiceItem


def _changed(**_kwargs) -> None:
    services.catalog_changed()


def connect() -> None:
    for model in (ServiceItem, Department, SearchSynonym):
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"catalog-changed-save-{model.__name__}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"catalog-changed-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _changed, sender=ServiceItem.topics.through, dispatch_uid="catalog-changed-topics"
    )
