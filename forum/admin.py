"""Django admin for the organisation, scoped to the municipalities the user administers.

Superusers (platform operators) see everything. A municipal administrator sees and changes
only their own municipalities' rows, and no ad-hoc group (it belongs to its case). Every write
goes through `forum.services` with `by=request.user`, so body groups and role permissions stay
in sync and nobody gives themselves a role that reads cases, whichever door they use: the
forms ask the services' rules before saving, so a refusal is shown on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from forum import bodytypes, permissions, services
from forum.models import (
    Affiliation,
    Body,
    BodyKind,
    BodyType,
    Membership,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from ssp.models import User


class MunicipalityScopedAdmin(admin.ModelAdmin):
    """Limit rows, choices and rights to the municipalities the user administers."""

    municipality_field = "municipality"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _administered(self, request: HttpRequest) -> QuerySet[Municipality]:
        return permissions.municipalities_administered_by(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if permissions.is_platform_operator(request.user):
            return queryset
        return queryset.filter(**{f"{self.municipality_field}__in": self._administered(request)})

    def _municipality_of(self, obj: Model) -> Municipality | None:
        return getattr(obj, self.municipality_field)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_organisation_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or permissions.can_administer_municipality(
            request.user, self._municipality_of(obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not permissions.is_platform_operator(request.user):
            administered = self._administered(request)
            model = db_field.related_model
            if model is Municipality:
                kwargs["queryset"] = administered
            elif model in (Unit, Person, BodyType):
                kwargs["queryset"] = model.objects.filter(municipality__in=administered)
            elif model is Body:
                kwargs["queryset"] = Body.objects.filter(municipality__in=administered).exclude(
                    kind=BodyKind.AD_HOC
                )
            elif model is User:
                kwargs["queryset"] = User.objects.filter(
                    affiliations__municipality__in=administered
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceValidatedForm(ModelForm):
    """Admin form that also checks the rules spanning rows, which the services enforce.

    Refusing in `clean` shows the message on the form instead of failing in `save_model`.
    """

    validator: Any = None

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or self.validator is None:
            return
        try:
            type(self).validator(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class BodyAdminForm(ServiceValidatedForm):
    validator = services.body_validate


class BodyTypeAdminForm(ServiceValidatedForm):
    validator = bodytypes.body_type_validate


class UnitAdminForm(ServiceValidatedForm):
    validator = services.unit_validate


class PersonAdminForm(ServiceValidatedForm):
    validator = services.person_validate


@admin.register(PoliceDistrict)
class PoliceDistrictAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "police_district", "ssp_age_limit", "ssp_plus_age_limit")
    search_fields = ("name", "code")
    list_filter = ("police_district",)


class AffiliationAdminForm(ModelForm):
    """Checks the roles as `affiliation_set` will, for the user acting (`by`, set per request
    by `AffiliationAdmin.get_form`): ticking the consultant role on one's own affiliation is
    refused on the form, and nothing is saved."""

    by: User | None = None

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            services.affiliation_validate(
                user=self.instance.user,
                municipality=self.instance.municipality,
                is_ssp_consultant=self.instance.is_ssp_consultant,
                by=self.by,
            )
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Affiliation)
class AffiliationAdmin(MunicipalityScopedAdmin):
    form = AffiliationAdminForm
    list_display = ("user", "municipality", "is_ssp_consultant", "is_administrator")
    list_filter = ("municipality", "is_ssp_consultant", "is_administrator")
    search_fields = ("user__full_name", "user__email")

    def get_form(
        self,
        request: HttpRequest,
        obj: Affiliation | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request: the attribute is never shared between requests.
        form.by = request.user  # type: ignore[attr-defined]
        return form

    def save_model(
        self, request: HttpRequest, obj: Affiliation, form: ModelForm, change: bool
    ) -> None:
        saved = services.affiliation_set(
            user=obj.user,
            municipality=obj.municipality,
            is_ssp_consultant=obj.is_ssp_consultant,
            is_administrator=obj.is_administrator,
            by=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Affiliation) -> None:
        services.affiliation_remove(user=obj.user, municipality=obj.municipality)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Affiliation]) -> None:
        for affiliation in queryset.select_related("user", "municipality"):
            self.delete_model(request, affiliation)


@admin.register(Unit)
class UnitAdmin(MunicipalityScopedAdmin):
    form = UnitAdminForm
    list_display = ("name", "code", "sector", "municipality", "parent")
    list_filter = ("municipality", "sector")
    search_fields = ("name", "code")

    def save_model(self, request: HttpRequest, obj: Unit, form: ModelForm, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name] for name in form.changed_data if name != "municipality"
        }
        if change:
            services.unit_update(unit=Unit.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.unit_create(municipality=obj.municipality, **fields).pk


class MembershipInlineFormSet(BaseInlineFormSet):
    """Checks each new seat and each role change as the services will, for the user acting
    (`by`, set per request by `MembershipInline.get_formset`): seating oneself in a body that
    reads cases is refused next to the row, and nothing is saved."""

    by: User | None = None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            membership = form.instance
            try:
                if membership.pk is None:
                    services.membership_validate(
                        body=self.instance, person=membership.person, by=self.by
                    )
                elif "role" in form.changed_data:
                    services.membership_role_validate(
                        membership=membership, role=membership.role, by=self.by
                    )
            except ValidationError as error:
                form._update_errors(error)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ("person",)

    def get_formset(self, request: HttpRequest, obj: Body | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # A class made for this request: the attribute is never shared between requests.
        formset.by = request.user
        return formset

    # The body's administrators keep its members, as on the organisation pages; an ad-hoc
    # group's members are chosen on its case, where each gets a basis.
    def _may_edit(self, request: HttpRequest, obj: Body | None) -> bool:
        if not permissions.can_use_organisation_admin(request.user):
            return False
        return obj is None or permissions.can_administer_body(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return self._may_edit(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        return self._may_edit(request, obj)


@admin.register(BodyType)
class BodyTypeAdmin(MunicipalityScopedAdmin):
    """A municipality's body types, with their rules (`forum.bodytypes`)."""

    form = BodyTypeAdminForm
    list_display = ("name", "kind", "municipality", "max_per_municipality", "may_handle_cases")
    list_filter = ("kind", "municipality")
    search_fields = ("name",)
    fields = ("municipality", *bodytypes.TYPE_FIELDS)

    def save_model(
        self, request: HttpRequest, obj: BodyType, form: ModelForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data.get(name) for name in bodytypes.TYPE_FIELDS}
        if change:
            bodytypes.body_type_update(body_type=BodyType.objects.get(pk=obj.pk), **data)
        else:
            spec = bodytypes.TypeSpec(**data)
            created = bodytypes.body_type_create(municipality=obj.municipality, spec=spec)
            obj.pk = created.pk


@admin.register(Body)
class BodyAdmin(MunicipalityScopedAdmin):
    form = BodyAdminForm
    list_display = ("name", "kind", "municipality", "police_district", "parent")
    list_filter = ("kind", "municipality")
    search_fields = ("name",)
    inlines = (MembershipInline,)
    fields = (
        "kind",
        "body_type",
        "name",
        "municipality",
        "police_district",
        "parent",
        "unit",
        "purpose",
        "meeting_rhythm",
    )

    def has_change_permission(self, request: HttpRequest, obj: Body | None = None) -> bool:
        if obj is not None and obj.municipality_id is None:
            return self.has_module_permission(request) and permissions.can_administer_body(
                request.user, obj
            )
        return super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Body]:
        if permissions.is_platform_operator(request.user):
            return Body.objects.all()
        # An ad-hoc group belongs to its case: listing it would tell that a case exists.
        return permissions.bodies_administered_by(request.user).exclude(kind=BodyKind.AD_HOC)

    def save_model(self, request: HttpRequest, obj: Body, form: ModelForm, change: bool) -> None:
        data = {name: form.cleaned_data.get(name) for name in services.BODY_FIELDS}
        if change:
            services.body_update(body=Body.objects.get(pk=obj.pk), **data)
        else:
            created = services.body_create(
                municipality=form.cleaned_data.get("municipality"),
                police_district=form.cleaned_data.get("police_district"),
                **data,
            )
            obj.pk, obj.group_id = created.pk, created.group_id

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_remove(membership=membership, by=request.user)
        for membership in memberships:
            if membership.pk is None:
                services.membership_add(
                    body=form.instance,
                    person=membership.person,
                    role=membership.role,
                    by=request.user,
                )
            else:
                services.membership_change_role(
                    membership=membership, role=membership.role, by=request.user
                )

    def delete_model(self, request: HttpRequest, obj: Body) -> None:
        services.body_delete(body=obj)


@admin.register(Person)
class PersonAdmin(MunicipalityScopedAdmin):
    form = PersonAdminForm
    list_display = ("full_name", "job_title", "sector", "unit", "municipality", "has_login")
    list_filter = ("municipality", "sector")
    search_fields = ("full_name", "email", "job_title")
    # Logins are created from the app's "Opret person" page, which sends the invitation. The
    # login is shown as its state, not the account: a new address's account and another
    # municipality's invited account must look alike until taken into use.
    exclude = ("user",)
    readonly_fields = ("login",)
    list_select_related = ("user", "unit", "municipality")

    @admin.display(description="Login")
    def login(self, obj: Person) -> str:
        if obj.pk is None:
            return "–"
        return {
            "active": _("Har login"),
            "invited": _("Invitation sendt til arbejdsmailen, endnu ikke taget i brug"),
            "held": _("Får login, men invitationen er ikke sendt endnu"),
        }.get(obj.login_state, _("Ekstern kontakt uden login"))

    def save_model(self, request: HttpRequest, obj: Person, form: ModelForm, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.PERSON_FIELDS
        }
        if change:
            services.person_update(person=Person.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.person_create(municipality=obj.municipality, **fields).pk

    @admin.display(boolean=True, description="Login")
    def has_login(self, obj: Person) -> bool:
        # Taken into use, not merely linked: a new address's account and an existing
        # account's invitation look alike until then (`Person.login_state`).
        return obj.login_state == "active"

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        services.person_delete(person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            services.person_delete(person=person)
