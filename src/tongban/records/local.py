"""The built-in provider: department records kept in this platform's own tables.

Filled by ``tongban records import KIND FILE.csv`` or by the demo; looked up by the subject's
keyed hash only.
"""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import models, types
from .constants import InsuranceStatus, InsuranceType, RecordKind
from .providers import ProviderHealth, RecordProvider
from .subjects import Subject

# A type still paid for in one of the last few months counts as "contributing"; departments
# post a month's contributions some weeks after it ends.
CONTRIBUTING_WITHIN_MONTHS = 3


def month_text(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def entries(values: list) -> tuple[types.RegisterEntry, ...]:
    return tuple(
        types.RegisterEntry(
            party=value.get("party", ""),
            detail=value.get("detail", ""),
            registered_on=dt.date.fromisoformat(value["registered_on"])
            if value.get("registered_on")
            else None,
        )
        for value in values
    )


def summarise(months: list[types.ContributionMonth], today: dt.date):
    """Per insurance type: status and cumulative months, as the certificate shows them."""
    summaries = []
    for insurance_type in InsuranceType.values:
        paid = sorted({m.month for m in months if insurance_type in m.insurance_types})
        if not paid:
            continue
        last = dt.date.fromisoformat(f"{paid[-1]}-01")
        contributing = months_between(last, today) <= CONTRIBUTING_WITHIN_MONTHS
        summaries.append(
            types.InsuranceSummary(
                insurance_type=insurance_type,
                status=InsuranceStatus.CONTRIBUTING if contributing else InsuranceStatus.SUSPENDED,
                cumulative_months=len(paid),
                first_month=paid[0],
                last_month=paid[-1],
            )
        )
    return tuple(summaries)


class LocalRecordProvider(RecordProvider):
    name = "local"

    def fetch(self, kind: str, subject: Subject):
        key = subject.lookup_hash
        return {
            RecordKind.SOCIAL_INSURANCE: self._social_insurance,
            RecordKind.TAX: self._tax,
            RecordKind.REAL_ESTATE: self._real_estate,
            RecordKind.COMPANY: self._company,
        }[RecordKind(kind)](key)

    def check(self) -> ProviderHealth:
        try:
            models.RecordHolder.objects.exists()
        except DatabaseError as error:
            return ProviderHealth(self.name, False, str(error))
        return ProviderHealth(self.name, True, _("Local record tables are readable."))

    def _holder(self, kind: str, key: str) -> models.RecordHolder | None:
        return models.RecordHolder.objects.filter(kind=kind, subject_hash=key).first()

    def _social_insurance(self, key: str):
        holder = self._holder(RecordKind.SOCIAL_INSURANCE, key)
        rows = models.ContributionMonth.objects.filter(subject_hash=key).order_by("month", "pk")
        months = [
            types.ContributionMonth(
                month=month_text(row.month),
                employer=row.employer,
                contribution_base=row.contribution_base,
                employer_amount=row.employer_amount,
                personal_amount=row.personal_amount,
                insurance_types=tuple(row.insurance_types),
                place=row.place,
            )
            for row in rows
        ]
        if holder is None and not months:
            return None
        return types.SocialInsuranceRecord(
            holder_name=holder.name if holder else "",
            sex=holder.sex if holder else "",
            months=tuple(months),
            summaries=summarise(months, timezone.localdate()),
        )

    def _tax(self, key: str):
        holder = self._holder(RecordKind.TAX, key)
        payments = tuple(
            types.TaxPayment(
                income_item=row.income_item,
                period_start=row.period_start,
                period_end=row.period_end,
                paid_on=row.paid_on,
                amount=row.amount,
                withholding_agent=row.withholding_agent,
                tax_authority=row.tax_authority,
            )
            for row in models.TaxPayment.objects.filter(subject_hash=key).order_by(
                "period_start", "paid_on", "pk"
            )
        )
        if holder is None and not payments:
            return None
        return types.TaxRecord(taxpayer_name=holder.name if holder else "", payments=payments)

    def _real_estate(self, key: str):
        holder = self._holder(RecordKind.REAL_ESTATE, key)
        properties = tuple(
            types.Property(
                certificate_number=row.certificate_number,
                unit_number=row.unit_number,
                location=row.location,
                owners=tuple(row.owners),
                area=row.area,
                use=row.use,
                mortgages=entries(row.mortgages),
                seizures=entries(row.seizures),
                objections=entries(row.objections),
            )
            for row in models.PropertyRight.objects.filter(subject_hash=key).order_by(
                "certificate_number", "pk"
            )
        )
        if holder is None and not properties:
            return None
        return types.RealEstateRecord(
            owner_name=holder.name if holder else "", properties=properties
        )

    def _company(self, key: str):
        row = models.CompanyRegistration.objects.filter(subject_hash=key).first()
        if row is None:
            return None
        return types.from_data(
            RecordKind.COMPANY,
            {
                "uscc": row.uscc,
                "name": row.name,
                "company_type": row.company_type,
                "address": row.address,
                "legal_representative": row.legal_representative,
                "registered_capital": row.registered_capital,
                "established_on": row.established_on.isoformat(),
                "operating_until": row.operating_until.isoformat() if row.operating_until else None,
                "approved_on": row.approved_on.isoformat() if row.approved_on else None,
                "scope": row.scope,
                "status": row.status,
                "licences": row.licences,
                "penalties": row.penalties,
                "abnormal_listings": row.abnormal_listings,
            },
        )
