"""Django admin for platform operators only: who acts for each municipality as data controller
(from its written instruction), and the record of exports (read only). A municipality's own
administrators are staff too, and must not name themselves: every right here is an operator's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest

from archive import services
from archive.models import ArchiveExport, ControllerRepresentative
from ssp.permissions import is_platform_operator


class OperatorsOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_platform_operator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_platform_operator(request.user)


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = ControllerRepresentative
        fields = ("municipality", "user", "instruction")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("municipality") and data.get("user"):
            try:
                services.controller_representative_validate(
                    municipality=data["municipality"], user=data["user"]
                )
            except ValidationError as error:
                self.add_error("user", error)
        return data


@admin.register(ControllerRepresentative)
class ControllerRepresentativeAdmin(OperatorsOnly):
    form = RepresentativeForm
    list_display = ("municipality", "user", "instruction", "named_at")
    list_filter = ("municipality",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.controller_representative_name(
            municipality=obj.municipality,
            user=obj.user,
            instruction=obj.instruction,
            by=request.user,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.controller_representative_remove(representative=obj, by=request.user)


@admin.register(ArchiveExport)
class ArchiveExportAdmin(OperatorsOnly):
    list_display = ("municipality", "requested_by", "requested_at", "include_cases", "status")
    list_filter = ("status", "include_cases", "municipality")
    readonly_fields = [f.name for f in ArchiveExport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
