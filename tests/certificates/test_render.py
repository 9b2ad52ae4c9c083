"""Each certificate type, rendered and read back: text fields, totals, masked holder, QR code."""

from urllib.parse import parse_qs, urlparse

import pytest

from tongban.certificates import services
from tongban.certificates.kinds import Channel
from tongban.documents import services as documents

from .conftest import PUBLIC_URL, decode_qr, pdf_text

pytestmark = pytest.mark.django_db


def issue(requester, kind, subject=None, language2=None):
    return services.issue_certificate(requester, kind, subject, language2, Channel.ONLINE)


def test_social_insurance_certificate_shows_holder_types_months_and_totals(demo):
    document = issue(demo["lei"], "social_insurance", language2="en")
    text = pdf_text(services.read_pdf(document))
    assert "个人参保证明" in text and "Socialinsurancecertificate" in text
    assert "李美玲" in text and "女" in text
    assert "M1*****78" in text and "M12345678" not in text
    for insurance in ("企业职工基本养老保险", "失业保险", "工伤保险", "职工基本医疗保险"):
        assert insurance in text
    assert "参保缴费" in text and "Contributing" in text
    assert text.count("2023-11") >= 1 and "2026-10" in text  # 36 months, Nov 2023 – Oct 2026
    record = document.record_data["record"]
    assert len(record["months"]) == 36
    employer_total = sum(float(m["employer_amount"]) for m in record["months"])
    assert f"{employer_total:,.2f}" in text
    assert "江门市大广海湾数字科技有限公司" in text and "江门市澳江跨境服务有限公司" in text
    assert "不是政府印章" in text  # marked as the platform's own design, not a seal
    assert document.display_code in text
    assert (document.valid_until - document.issued_at).days == 90


def test_tax_record_in_portuguese_lists_payments_and_total(demo):
    document = issue(demo["lei"], "tax", language2="pt")
    text = pdf_text(services.read_pdf(document))
    assert "个人所得税纳税记录" in text
    assert "工资薪金所得" in text and "国家税务总局江门市蓬江区税务局" in text
    total = sum(float(p["amount"]) for p in document.record_data["record"]["payments"])
    assert f"{total:,.2f}" in text
    assert "M1*****78" in text


def test_real_estate_extract_in_traditional_chinese(demo):
    document = issue(demo["lei"], "real_estate", language2="zh-hant")
    text = pdf_text(services.read_pdf(document))
    assert "不动产登记信息查询结果" in text and "不動產登記信息查詢結果" in text
    assert "粤(2024)江门市不动产权第0034567号" in text
    assert "440703004002GB00123F00010045" in text
    assert "中国银行股份有限公司江门分行" in text  # the mortgage
    assert document.number in text  # the query number


def test_real_estate_extract_says_no_record_found(demo):
    document = issue(demo["chan"], "real_estate")
    text = pdf_text(services.read_pdf(document))
    assert "未发现该权利人名下的不动产登记记录" in text
    assert document.record_data["record"] is None


def test_company_credit_report_for_an_authorised_agent(demo):
    document = issue(demo["wong"], "company", demo["company"], language2="en")
    text = pdf_text(services.read_pdf(document))
    assert "企业信用报告" in text and "Companycreditreport" in text
    assert "江门明星贸易有限公司" in text and "黄小明" in text
    assert "食品经营许可证" in text and "江蓬市监罚〔2022〕118号" in text
    assert "未按规定期限公示2020年度年度报告" in text
    # A company's credit code is public; the registry and the token hold it masked.
    assert demo["company"].number in text and document.holder_masked == "91**************06"


def test_qr_code_decodes_to_a_token_that_verifies(demo, tmp_path):
    document = issue(demo["lei"], "social_insurance")
    url = decode_qr(services.read_pdf(document), tmp_path)
    assert url.startswith(f"{PUBLIC_URL}/verify?t=")
    token = parse_qs(urlparse(url).query)["t"][0]
    result = documents.verify_token(token)
    assert result.is_valid
    assert (result.number, result.holder_masked) == (document.number, "M1*****78")
    offline = documents.verify_token(token, registry=False)
    assert offline.is_valid and offline.kind == "social_insurance_certificate"
