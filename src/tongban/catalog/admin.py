"""The catalog in Django's admin, for catalog editors.

Each change is recorded by the admin's own log (who, when, what changed), shown under
"History" on every object. Saves go through the models' ``save``, so the search index
follows. Imports are listed read-only: they are made with ``tongban catalog import``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tongban.core import audit

from .import_synonyms import folded_term
from .models import Department, ImportRun, MaterialRequirement, SearchSynonym, ServiceItem, Zone


class AuditedAdmin(admin.ModelAdmin):
    """Every change an editor makes also goes into the hash-chained audit trail."""

    def _audit(self, request, obj, verb: str, fields: list[str] | None = None) -> None:
        audit.record(
            f"{obj._meta.model_name}_{verb}",
            actor=audit.user_actor(request.user),
            obj_type=obj._meta.label_lower,
            obj_id=obj.pk,
            payload={"fields": fields} if fields else None,
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "added")
        return super().log_addition(request, obj, message)

    def save_model(self, request, obj, form, change):
        # Field names, not the admin's translated labels, go into the trail.
        obj._audit_changed_fields = sorted(form.changed_data)
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "changed", getattr(obj, "_audit_changed_fields", None))
        return super().log_change(request, obj, message)

    def log_deletion(self, request, obj, object_repr):
        self._audit(request, obj, "deleted")
        return super().log_deletion(request, obj, object_repr)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted")
        return super().log_deletions(request, queryset)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name_zh_hans", "credit_code", "level", "phone"]
    list_filter = ["level"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "name_pt", "credit_code"]
    ordering = ["credit_code"]


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["code", "name_zh_hans", "holiday_calendar", "phone", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "position", "holiday_calendar", "phone"]}),
        (_("Names"), {"fields": ["name_zh_hans", "name_zh_hant", "name_en", "name_pt"]}),
        (
            _("Addresses"),
            {"fields": ["address_zh_hans", "address_zh_hant", "address_en", "address_pt"]},
        ),
        (
            _("Opening hours"),
            {"fields": ["hours_zh_hans", "hours_zh_hant", "hours_en", "hours_pt"]},
        ),
    ]


class MaterialRequirementInline(admin.TabularInline):
    model = MaterialRequirement
    extra = 0
    ordering = ["position"]
    fields = [
        "position",
        "name_zh_hans",
        "name_zh_hant",
        "name_en",
        "name_pt",
        "material_type",
        "source",
        "necessity",
        "form",
        "originals",
        "copies",
        "hkmo_note",
    ]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdmin):
    list_display = [
        "implementation_code",
        "name_zh_hans",
        "department",
        "item_type",
        "scope",
        "high_frequency",
        "status",
    ]
    list_filter = ["department", "item_type", "scope", "status", "high_frequency", "handling_type"]
    search_fields = [
        "implementation_code",
        "basic_code",
        "name_zh_hans",
        "name_zh_hant",
        "name_en",
        "name_pt",
    ]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["zones", "topics"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MaterialRequirementInline]
    show_full_result_count = False  # no COUNT(*) over the whole table on each list page
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "implementation_code",
                    "basic_code",
                    "sub_item",
                    "department",
                    "item_type",
                    "level",
                    "status",
                ]
            },
        ),
        (_("Names"), {"fields": ["name_zh_hans", "name_zh_hant", "name_en", "name_pt"]}),
        (
            _("Handling"),
            {
                "fields": [
                    "handling_type",
                    ("statutory_limit", "statutory_unit"),
                    "statutory_note",
                    ("promised_limit", "promised_unit"),
                    "promised_note",
                    "visits",
                    "channels",
                    "zones",
                    ("online", "online_depth"),
                    "booking_supported",
                    ("has_fee", "fee_standard"),
                ]
            },
        ),
        (
            _("Who and what"),
            {
                "fields": [
                    "topics",
                    ("for_persons", "for_companies"),
                    "scope",
                    "high_frequency",
                    "entered_zones_on",
                ]
            },
        ),
        (
            _("Details"),
            {
                "fields": [
                    "legal_basis",
                    "conditions",
                    "process_steps",
                    ("result_name", "result_type"),
                    ("consultation_phone", "complaint_phone"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(AuditedAdmin):
    list_display = ("term", "alternatives", "note", "updated_at")
    search_fields = ("term", "note")

    def save_model(self, request, obj, form, change):
        # The words are matched against folded queries: store them folded too.
        obj.term = folded_term(obj.term)
        obj.alternatives = [folded_term(word) for word in obj.alternatives if str(word).strip()]
        super().save_model(request, obj, form, change)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "actor",
        "file_name",
        "created",
        "updated",
        "unchanged",
        "rejected",
    ]
    list_filter = ["dry_run"]
    search_fields = ["actor", "file_name", "file_sha256"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
