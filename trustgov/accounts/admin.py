from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "email", "council", "delivery_body", "is_dfe", "is_active"]
    list_filter = ["groups", "is_dfe", "council"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Organisation", {"fields": ["council", "delivery_body", "is_dfe", "job_title"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "user", "prefix", "scope", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
