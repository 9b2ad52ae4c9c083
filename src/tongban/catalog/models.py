from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tongban.core.text import fold

from . import constants as c

LANGUAGE_FIELD_SUFFIX = {"zh-hans": "zh_hans", "zh-hant": "zh_hant", "en": "en", "pt": "pt"}


def language_suffix(language: str | None = None) -> str:
    return LANGUAGE_FIELD_SUFFIX.get((language or get_language() or "zh-hans").lower(), "zh_hans")


class Localized:
    """Picks ``<field>_<lang>`` for the active language, falling back to simplified Chinese."""

    def localized(self, field: str, language: str | None = None) -> str:
        value = getattr(self, f"{field}_{language_suffix(language)}", "")
        return value or getattr(self, f"{field}_zh_hans")

    @property
    def name(self) -> str:
        return self.localized("name")


def validate_credit_code(value: str) -> None:
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        uscc.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code."), params={"value": value}
        ) from error


class Department(Localized, models.Model):
    """实施主体: a department that implements catalog items."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name_zh_hans = models.CharField(_("name (simplified Chinese)"), max_length=100)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200, blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=c.Level.choices, default=c.Level.CITY
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["credit_code"]

    def __str__(self) -> str:
        return self.name_zh_hans


class Zone(Localized, models.Model):
    """专区: a place where the counter serves applicants (in Jiangmen, Macau or Hong Kong)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_zh_hans = models.CharField(_("name (simplified Chinese)"), max_length=100)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200)
    address_zh_hans = models.CharField(_("address (simplified Chinese)"), max_length=300)
    address_zh_hant = models.CharField(_("address (traditional Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    address_pt = models.CharField(_("address (Portuguese)"), max_length=300)
    hours_zh_hans = models.CharField(_("opening hours (simplified Chinese)"), max_length=200)
    hours_zh_hant = models.CharField(_("opening hours (traditional Chinese)"), max_length=200)
    hours_en = models.CharField(_("opening hours (English)"), max_length=200)
    hours_pt = models.CharField(_("opening hours (Portuguese)"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    holiday_calendar = models.CharField(
        _("public-holiday calendar"), max_length=2, choices=c.HolidayCalendar.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service zone")
        verbose_name_plural = _("service zones")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_zh_hans


class Topic(models.Model):
    """主题: a life event or subject people browse by; labels live in ``constants.TOPICS``."""

    slug = models.SlugField(primary_key=True, max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.term

    @property
    def term(self) -> str:
        return c.TOPICS[self.slug][0]

    @property
    def label(self) -> str:
        return str(c.TOPICS[self.slug][1])


class ServiceItem(Localized, models.Model):
    """事项: one service in the catalog (a row of the 实施清单)."""

    implementation_code = models.CharField(_("implementation code"), max_length=36, unique=True)
    basic_code = models.CharField(_("basic code"), max_length=12)
    sub_item = models.CharField(_("sub-item"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name (simplified Chinese)"), max_length=200)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=300)
    item_type = models.CharField(_("item type"), max_length=20, choices=c.ItemType.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="items", verbose_name=_("department")
    )
    level = models.CharField(_("level"), max_length=16, choices=c.Level.choices)
    handling_type = models.CharField(
        _("handling type"), max_length=16, choices=c.HandlingType.choices
    )
    statutory_limit = models.PositiveIntegerField(
        _("statutory limit"), validators=[MaxValueValidator(3650)]
    )
    statutory_unit = models.CharField(
        _("statutory limit unit"), max_length=16, choices=c.LimitUnit.choices
    )
    statutory_note = models.TextField(_("statutory limit explanation"), blank=True)
    promised_limit = models.PositiveIntegerField(
        _("promised limit"), validators=[MaxValueValidator(3650)]
    )
    promised_unit = models.CharField(
        _("promised limit unit"), max_length=16, choices=c.LimitUnit.choices
    )
    promised_note = models.TextField(_("promised limit explanation"), blank=True)
    visits = models.PositiveSmallIntegerField(
        _("visits needed"), validators=[MinValueValidator(0), MaxValueValidator(2)]
    )
    channels = models.JSONField(_("channels"), default=list)
    zones = models.ManyToManyField(Zone, blank=True, related_name="items", verbose_name=_("zones"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="items", verbose_name=_("topics")
    )
    for_persons = models.BooleanField(_("for persons"), default=True)
    for_companies = models.BooleanField(_("for companies"), default=False)
    scope = models.CharField(_("scope"), max_length=16, choices=c.Scope.choices, db_index=True)
    has_fee = models.BooleanField(_("charges a fee"), default=False)
    fee_standard = models.TextField(_("fee standard"), blank=True)
    booking_supported = models.BooleanField(_("booking supported"), default=False)
    online = models.BooleanField(_("can be done online"), default=False)
    online_depth = models.PositiveSmallIntegerField(
        _("online depth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("acceptance conditions"), blank=True)
    process_steps = models.JSONField(_("process steps"), default=list)
    result_name = models.CharField(_("result name"), max_length=200, blank=True)
    result_type = models.CharField(_("result type"), max_length=16, choices=c.ResultType.choices)
    consultation_phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    high_frequency = models.BooleanField(_("high frequency"), default=False, db_index=True)
    entered_zones_on = models.DateField(_("entered the zones on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=c.ItemStatus.choices,
        default=c.ItemStatus.ACTIVE,
        db_index=True,
    )
    search_document = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["implementation_code"]
        indexes = [
            models.Index(fields=["department", "implementation_code"]),
            models.Index(fields=["entered_zones_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits__lte=2), name="catalog_item_visits_at_most_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_code} {self.name_zh_hans}"

    def save(self, *args, **kwargs):
        self.search_document = self.build_search_document()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.statutory_unit == self.promised_unit and self.promised_limit > self.statutory_limit:
            raise ValidationError(
                {
                    "promised_limit": _(
                        "The promised limit cannot be longer than the statutory limit."
                    )
                }
            )
        if self.online_depth and not self.online:
            raise ValidationError(
                {"online_depth": _("Only an item done online has an online depth.")}
            )

    def build_search_document(self) -> str:
        """The folded names a search looks in; the index tokenises this."""
        parts = [self.name_zh_hans, self.name_zh_hant, self.name_en, self.name_pt, self.sub_item]
        return fold("\n".join(part for part in parts if part))

    @property
    def audiences(self) -> list[str]:
        return [
            a
            for a, on in (
                (c.Audience.PERSON, self.for_persons),
                (c.Audience.COMPANY, self.for_companies),
            )
            if on
        ]


class MaterialRequirement(Localized, models.Model):
    """材料: a paper or file the applicant must bring for an item."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"))
    name_zh_hans = models.CharField(_("name (simplified Chinese)"), max_length=300)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=400, blank=True)
    material_type = models.CharField(
        _("material type"), max_length=16, choices=c.MaterialType.choices
    )
    source = models.CharField(_("source"), max_length=16, choices=c.MaterialSource.choices)
    necessity = models.CharField(_("necessity"), max_length=16, choices=c.Necessity.choices)
    form = models.CharField(_("form"), max_length=16, choices=c.MaterialForm.choices)
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    hkmo_note = models.TextField(_("note for Hong Kong and Macau applicants"), blank=True)

    class Meta:
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="catalog_material_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh_hans


class ImportRun(models.Model):
    """One run of ``tongban catalog import``: who, when, what file, what it did."""

    started_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(_("by"), max_length=150)
    file_name = models.CharField(_("file"), max_length=300)
    file_sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class SearchSynonym(models.Model):
    """A word people type and the catalog's own words for it: everyday, Cantonese and Macau
    wording (查冊, 按揭), lay English and Portuguese ("home return permit"). Kept as data:
    catalog editors change it in the admin, and it travels with the catalog's export."""

    term = models.CharField(_("what people type"), max_length=100, unique=True)
    alternatives = models.JSONField(_("the catalog's words for it"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

