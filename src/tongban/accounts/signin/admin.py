from django.contrib import admin

from tongban.accounts.signin.models import SignInPhone


@admin.register(SignInPhone)
class SignInPhoneAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "verified_at"]
    search_fields = ["user__email", "phone"]
    readonly_fields = ["verified_at"]
    raw_id_fields = ["user"]
