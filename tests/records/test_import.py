"""``tongban records import KIND FILE.csv``: every kind, bad rows refused whole, no clear numbers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tongban.records import models, services
from tongban.records.constants import InsuranceStatus, RecordKind

pytestmark = pytest.mark.django_db

PERMIT = "M12345678"
SOCIAL = """holder_kind,holder_number,holder_name,sex,month,employer,contribution_base,employer_amount,personal_amount,insurance_types,place
hmt-permit,M12345678,李美玲,F,2026-08,江门市澳江跨境服务有限公司,"6,600.00",1463.88,673.20,养老;失业;工伤;职工医保,江门市蓬江区
hmt-permit,M12345678,李美玲,F,2026-09,江门市澳江跨境服务有限公司,6600,1463.88,673.20,养老;职工医保,江门市蓬江区
"""
TAX = """holder_kind,holder_number,holder_name,income_item,period_start,period_end,paid_on,amount,withholding_agent,tax_authority
hmt-permit,M12345678,李美玲,工资薪金所得,2026-08-01,2026-08-31,2026-09-15,186.40,江门市澳江跨境服务有限公司,国家税务总局江门市蓬江区税务局
"""
ESTATE = """holder_kind,holder_number,holder_name,certificate_number,unit_number,location,owners,area,use,mortgages,seizures,objections
hmt-permit,M12345678,李美玲,粤(2024)江门市不动产权第0034567号,440703004002GB00123F00010045,江门市蓬江区白沙大道西1号7座1203房,李美玲（单独所有）,89.56,住宅,中国银行江门分行|一般抵押 80万元|2024-06-05,,
"""
COMPANY = """uscc,name,company_type,address,legal_representative,registered_capital,established_on,operating_until,approved_on,scope,status,licences,penalties,abnormal_listings
91350100M000100Y43,江门明星贸易有限公司,有限责任公司,江门市蓬江区发展大道233号,黄小明,500万元人民币,2019-03-18,,2023-09-06,货物进出口,存续,食品经营许可证|JY1|蓬江区市场监督管理局|2029-04-10,江蓬市监罚〔2022〕118号|蓬江区市场监督管理局|2022-08-15|标签不合规|警告,
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def subject():
    return services.make_subject("hmt-permit", PERMIT)


def test_social_insurance_rows_become_a_typed_record(tmp_path):
    report = services.import_file("social_insurance", write(tmp_path, "si.csv", SOCIAL))
    assert (report.rows, report.subjects, report.written) == (2, 1, True)
    record = services.fetch_record(RecordKind.SOCIAL_INSURANCE, subject())
    assert record.holder_name == "李美玲"
    assert [m.month for m in record.months] == ["2026-08", "2026-09"]
    assert record.months[0].contribution_base == Decimal("6600.00")
    assert record.employer_total == Decimal("2927.76")
    by_type = {s.insurance_type: s for s in record.summaries}
    assert by_type["养老"].cumulative_months == 2
    assert by_type["失业"].cumulative_months == 1


def test_insurance_status_follows_the_latest_month(tmp_path):
    services.import_file("social_insurance", write(tmp_path, "si.csv", SOCIAL))
    from tongban.records.local import summarise

    record = services.fetch_record("social_insurance", subject())
    later = summarise(list(record.months), dt.date(2027, 6, 1))
    assert {s.status for s in later} == {InsuranceStatus.SUSPENDED}
    now = summarise(list(record.months), dt.date(2026, 10, 20))
    assert {s.status for s in now} == {InsuranceStatus.CONTRIBUTING}


def test_tax_real_estate_and_company_import(tmp_path):
    services.import_file("tax", write(tmp_path, "tax.csv", TAX))
    services.import_file("real_estate", write(tmp_path, "re.csv", ESTATE))
    services.import_file("company", write(tmp_path, "co.csv", COMPANY))
    tax = services.fetch_record("tax", subject())
    assert tax.total == Decimal("186.40") and tax.payments[0].income_item == "工资薪金所得"
    estate = services.fetch_record("real_estate", subject())
    (prop,) = estate.properties
    assert prop.unit_number == "440703004002GB00123F00010045"
    assert prop.mortgages[0].registered_on == dt.date(2024, 6, 5)
    company = services.fetch_record("company", services.make_subject("uscc", "91350100M000100Y43"))
    assert company.name == "江门明星贸易有限公司"
    assert company.licences[0].valid_until == dt.date(2029, 4, 10)
    assert company.penalties[0].decision_number == "江蓬市监罚〔2022〕118号"
    assert company.abnormal_listings == ()


def test_no_row_stores_the_identifier_in_clear(tmp_path):
    services.import_file("social_insurance", write(tmp_path, "si.csv", SOCIAL))
    services.import_file("real_estate", write(tmp_path, "re.csv", ESTATE))
    for model in (models.ContributionMonth, models.RecordHolder, models.PropertyRight):
        for row in model.objects.values():
            assert PERMIT not in str(row)
            assert row["subject_hash"] == subject().lookup_hash


def test_one_bad_row_refuses_the_whole_file_and_names_each_problem(tmp_path):
    bad = SOCIAL + (
        "hmt-permit,X1234,某人,F,2026-13,单位,abc,1,1,养老;医疗,江门\n"
        "hmt-permit,M12345678,李美玲,F,2026-10,单位,100,1,1,养老,\n"
    )
    with pytest.raises(services.ImportRefused) as refused:
        services.import_file("social_insurance", write(tmp_path, "bad.csv", bad))
    problems = "\n".join(refused.value.problems)
    assert "Line 4, column holder_number" in problems
    assert "Line 5, column place: is empty" in problems
    assert models.ContributionMonth.objects.count() == 0
    assert models.RecordHolder.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("social_insurance", "holder_kind,holder_number\nhkid,A123456(3)\n", "Missing columns"),
        ("tax", TAX.replace("2026-08-31", "2026-07-31"), "period_end: is before period_start"),
        ("tax", TAX.replace("186.40", "-5"), "amount: must be zero or more"),
        ("real_estate", ESTATE.replace("GB00123F", "GB0012"), "unit_number: must be 28"),
        ("real_estate", ESTATE.replace("粤(2024)", "(2024)"), "certificate_number"),
        ("real_estate", ESTATE.replace("2024-06-05", "June"), "not a date"),
        ("company", COMPANY.replace("91350100M000100Y43", "91350100M000100Y44"), "uscc"),
        ("company", COMPANY.replace("|警告", ""), "penalties: entry 1 has 4 parts"),
        ("tax", "\ufeff" + TAX.split("\n")[0] + "\n", "no rows"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(tmp_path, kind, text, expected):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_file(kind, write(tmp_path, "bad.csv", text))
    assert expected in "\n".join(refused.value.problems)


def test_reimport_replaces_rows_with_the_same_key_and_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, "si.csv", SOCIAL)
    services.import_file("social_insurance", path, dry_run=True)
    assert models.ContributionMonth.objects.count() == 0
    services.import_file("social_insurance", path)
    services.import_file(
        "social_insurance", write(tmp_path, "again.csv", SOCIAL.replace("673.20", "700.00"))
    )
    assert models.ContributionMonth.objects.count() == 2
    assert {m.personal_amount for m in models.ContributionMonth.objects.all()} == {
        Decimal("700.00")
    }


def test_command_reports_problems_and_exits_1(tmp_path, capsys):
    call_command("records", "import", "tax", str(write(tmp_path, "tax.csv", TAX)))
    assert "Imported 1 rows about 1 subjects" in capsys.readouterr().out
    with pytest.raises(CommandError) as failed:
        call_command(
            "records", "import", "tax", str(write(tmp_path, "x.csv", TAX.replace("186.40", "x")))
        )
    assert failed.value.returncode == 1
    assert "Line 2, column amount" in capsys.readouterr().err


def test_unknown_subject_has_no_record():
    assert services.fetch_record("tax", services.make_subject("hkid", "A123456(3)")) is None


def test_demo_records_for_the_demo_people():
    from tongban.accounts import services as accounts

    accounts.create_demo_people("demo-password-123")
    services.create_demo_records(dt.date(2026, 11, 21))
    services.create_demo_records(dt.date(2026, 11, 21))  # safe twice
    record = services.fetch_record("social_insurance", services.demo_subject())
    assert len(record.months) == 36 and record.months[-1].month == "2026-10"
    assert len({m.employer for m in record.months}) == 2
    assert {s.status for s in record.summaries} == {InsuranceStatus.CONTRIBUTING}
    assert services.fetch_record("real_estate", services.demo_subject()).properties
    # WONG Siu Ming may obtain certificates about the demo Jiangmen company.
    from django.contrib.auth import get_user_model

    wong = get_user_model().objects.get(email="wong.siuming@demo.tongban.invalid")
    kinds = {s.kind for s in services.subjects_of(services.person_of_user(wong))}
    assert "uscc" in kinds
