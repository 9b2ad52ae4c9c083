"""Read-only admin views of notifications and their deliveries (addresses appear masked)."""

from django.contrib import admin

from .models import Delivery, Notification


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["title", "event", "user", "created_at", "read_at"]
    list_filter = ["event"]
    exclude = ["body"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["event", "channel", "address_masked", "status", "attempts", "updated_at"]
    list_filter = ["status", "channel", "event"]
    exclude = ["body", "short_text"]
