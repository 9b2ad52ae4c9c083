"""Admin: users, staff assignments, persons and companies. Identifiers appear masked only;
numbers are added through the services (pages, counter), which validate and hash them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from tongban.accounts import tokens
from tongban.accounts.models import (
    ApiToken,
    Authorisation,
    Company,
    CrossBorderConsent,
    DataRequest,
    IdentityDocument,
    Person,
    StaffAssignment,
    User,
)


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    fields = ["role", "zone", "department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "phone", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "phone"]
    inlines = [StaffAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Contact"), {"fields": ("phone", "preferred_language", "first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "zone", "department", "created_at"]
    list_filter = ["role", "zone"]
    search_fields = ["user__email"]
    list_select_related = ["user", "zone", "department"]


class IdentityDocumentInline(admin.TabularInline):
    model = IdentityDocument
    extra = 0
    fields = ["kind", "number_masked", "expires_on", "added_at"]
    readonly_fields = ["kind", "number_masked", "added_at"]

    def has_add_permission(self, request, obj=None):
        return False


class AuthorisationInline(admin.TabularInline):
    model = Authorisation
    extra = 0
    fields = ["person", "company", "scope", "valid_from", "valid_until", "revoked_at"]
    readonly_fields = ["person", "company", "scope", "valid_from"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "email", "phone", "registered_at_zone", "created_at"]
    search_fields = ["name_zh", "name_en", "email", "phone"]
    list_filter = ["address_region", "registered_at_zone"]
    readonly_fields = ["user", "created_at", "updated_at"]
    inlines = [IdentityDocumentInline, AuthorisationInline]

    def has_add_permission(self, request):
        return False  # persons come through sign-up or the counter, with validated documents


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "identifier_kind", "identifier_masked", "created_at"]
    search_fields = ["name_zh", "name_en"]
    list_filter = ["identifier_kind"]
    fields = [
        "name_zh",
        "name_en",
        "identifier_kind",
        "identifier_masked",
        "legal_representative",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["identifier_kind", "identifier_masked", "created_by", "created_at"]
    inlines = [AuthorisationInline]

    def has_add_permission(self, request):
        return False


@admin.register(CrossBorderConsent)
class CrossBorderConsentAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "purpose",
        "text_version",
        "text_language",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "text_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record of what the person agreed to; never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "status", "requested_at", "completed_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["person", "kind", "reason", "requested_at"]
    actions = ["carry_out"]

    @admin.action(description=_("Carry out the selected deletion requests"))
    def carry_out(self, request, queryset):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied, ValidationError

        from tongban.accounts import services

        done = 0
        for data_request in queryset:
            try:
                services.carry_out_deletion(request.user, data_request)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{data_request}: {error}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)s requests carried out.") % {"count": done})

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    # Nothing is edited by hand: a revocation is an audited action, never undone.
    readonly_fields = fields
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False  # made by their holder on the security page (or `tongban create_api_token`)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of a token and its last use stays

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        revoked = sum(tokens.revoke_api_token(token, actor=request.user) for token in queryset)
        self.message_user(request, _("%(count)s tokens revoked.") % {"count": revoked})
