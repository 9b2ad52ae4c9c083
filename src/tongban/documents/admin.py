from django.contrib import admin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are issued and revoked through ``documents.services`` (audited)."""

    list_display = ("number", "kind", "status", "holder_masked", "issued_at", "valid_until")
    list_filter = ("kind", "status")
    search_fields = ("=number", "=verification_code")
    ordering = ("-issued_at", "-id")
    show_full_result_count = False
    exclude = ("record_data", "holder_hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
