"""Django admin for users: platform operators only.

Municipal administrators add staff from the app's "Opret person" page, which creates the
login and sends the invitation, and change their roles under affiliations.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ssp.models import User
from ssp.permissions import is_platform_operator
from ssp.two_factor import second_factor_reset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("full_name",)
    list_display = ("full_name", "email", "sector", "is_active", "is_staff", "last_login")
    list_filter = ("sector", "is_active", "is_staff", "is_superuser")
    search_fields = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "sector")}),
        (_("Rettigheder"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "sector", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ("reset_second_factor",)

    @admin.action(description=_("Nulstil totrinslogin (mistet telefon)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(user=user, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Totrinslogin er nulstillet for %(count)s bruger.",
                "Totrinslogin er nulstillet for %(count)s brugere.",
                count,
            )
            % {"count": count},
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_platform_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_platform_operator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_platform_operator(request.user)
