"""Bilingual labels for the certificates: the Chinese wording is the document's own (it is what
the departments print), the second language comes from the translation catalogs (English
msgids) or, for 繁體, from the Chinese through OpenCC's Hong Kong forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tongban.core.text import to_hong_kong_traditional
from tongban.records.constants import InsuranceStatus, InsuranceType, Sex


@dataclass(frozen=True)
class Label:
    zh: str
    text: str | Promise  # English msgid, translated for the second language

    def second(self, language2: str | None) -> str:
        if not language2:
            return ""
        if language2 == "zh-hant":
            converted = to_hong_kong_traditional(self.zh)
            return "" if converted == self.zh else converted
        with translation.override(language2):
            return str(self.text)

    def render(self, language2: str | None, separator: str = " ") -> str:
        second = self.second(language2)
        return f"{self.zh}{separator}{second}" if second else self.zh


L = Label
NAME = L("姓名", _("Name"))
HOLDER = L("持证人", _("Holder"))
SEX = L("性别", _("Sex"))
ID_NUMBER = L("证件号码", _("Identity document number"))
QUERY_PERIOD = L("记录期间", _("Period of the records"))
PRINTED = L("打印时间", _("Printed"))
INSURANCE_SECTION = L("参保情况", _("Insurance status"))
INSURANCE_TYPE = L("险种", _("Insurance type"))
STATUS = L("参保状态", _("Status"))
CUMULATIVE = L("累计缴费月数", _("Cumulative months"))
FROM_TO = L("缴费起止年月", _("From – to"))
MONTHS_SECTION = L("缴费明细", _("Monthly contributions"))
MONTH = L("缴费年月", _("Month"))
EMPLOYER = L("单位名称", _("Employer"))
BASE = L("缴费基数", _("Contribution base"))
EMPLOYER_AMOUNT = L("单位缴费", _("Employer amount"))
PERSONAL_AMOUNT = L("个人缴费", _("Personal amount"))
PLACE = L("参保地", _("Place"))
TOTAL = L("合计", _("Total"))
NO_CONTRIBUTIONS = L("无缴费记录。", _("No contributions on record."))
TAXPAYER = L("纳税人名称", _("Taxpayer"))
TAX_PERIOD_ALL = L("税款所属期间", _("Tax periods"))
TAX_SECTION = L("纳税明细", _("Tax paid"))
INCOME_ITEM = L("所得项目", _("Income item"))
TAX_PERIOD = L("税款所属期", _("Tax period"))
PAID_ON = L("入库日期", _("Date paid in"))
AMOUNT = L("实缴金额（元）", _("Amount (CNY)"))
WITHHOLDING_AGENT = L("扣缴义务人", _("Withholding agent"))
TAX_AUTHORITY = L("税务机关", _("Tax authority"))
NO_TAX = L("该期间无纳税记录。", _("No tax payments on record."))
QUERY_NUMBER = L("查询编号", _("Query number"))
QUERY_TIME = L("查询时间", _("Time of query"))
OWNER = L("权利人", _("Right holder"))
PURPOSE = L("查询目的", _("Purpose"))
PURPOSE_SELF = L("权利人本人查询", _("Query by the right holder"))
PROPERTY = L("不动产", _("Property"))
CERTIFICATE_NUMBER = L("不动产权证书号", _("Certificate number"))
UNIT_NUMBER = L("不动产单元号", _("Unit number"))
LOCATION = L("坐落", _("Location"))
OWNERS = L("权利人", _("Owners"))
AREA = L("面积（㎡）", _("Area (m²)"))
USE = L("用途", _("Use"))
MORTGAGES = L("抵押登记", _("Mortgages"))
SEIZURES = L("查封登记", _("Seizures"))
OBJECTIONS = L("异议登记", _("Objections"))
NONE = L("无", _("None"))
NO_PROPERTY = L(
    "经查询，未发现该权利人名下的不动产登记记录。",
    _("No real estate is registered in the right holder's name."),
)
USCC = L("统一社会信用代码", _("Unified social credit code"))
COMPANY_NAME = L("企业名称", _("Name"))
COMPANY_TYPE = L("类型", _("Type"))
ADDRESS = L("住所", _("Address"))
LEGAL_REPRESENTATIVE = L("法定代表人", _("Legal representative"))
CAPITAL = L("注册资本", _("Registered capital"))
ESTABLISHED = L("成立日期", _("Established"))
OPERATING_UNTIL = L("营业期限至", _("Operating until"))
NO_END = L("长期", _("No end date"))
APPROVED = L("核准日期", _("Approved"))
SCOPE = L("经营范围", _("Business scope"))
COMPANY_STATUS = L("登记状态", _("Status"))
LICENCES = L("行政许可信息", _("Licences"))
LICENCE_NAME = L("许可名称", _("Licence"))
LICENCE_NUMBER = L("许可编号", _("Number"))
ISSUER = L("许可机关", _("Issued by"))
VALID_UNTIL = L("有效期至", _("Valid until"))
PENALTIES = L("行政处罚信息", _("Administrative penalties"))
DECISION = L("决定书文号", _("Decision number"))
AUTHORITY = L("决定机关", _("Authority"))
DECIDED = L("决定日期", _("Date"))
REASON = L("违法事实", _("Reason"))
OUTCOME = L("处罚结果", _("Penalty"))
ABNORMAL = L("经营异常名录信息", _("Abnormal operation listings"))
LISTED = L("列入日期", _("Listed"))
LISTED_REASON = L("列入原因", _("Reason"))
REMOVED = L("移出日期", _("Removed"))
NO_ENTRIES = L("无记录", _("None on record"))
TABLE_DIGEST = L("表格摘要", _("Digest of the table"))
HOLDER_SOURCE = L(
    "本证明根据{issuer}提供的记录生成，内容以该部门的记录为准。",
    _("Generated from the records of {issuer}; those records prevail."),
)
NOT_A_SEAL = L(
    "本证明的版式为通办平台自有设计，不是政府印章，也不模仿任何实体印章；真伪请以验证码或二维码核验。",
    _(
        "This layout is the Tongban platform's own design: it is not a government seal and "
        "imitates none. Check that it is genuine with the verification code or QR code."
    ),
)

INSURANCE_TYPE_ZH = {
    InsuranceType.PENSION: L("企业职工基本养老保险", InsuranceType.PENSION.label),
    InsuranceType.UNEMPLOYMENT: L("失业保险", InsuranceType.UNEMPLOYMENT.label),
    InsuranceType.WORK_INJURY: L("工伤保险", InsuranceType.WORK_INJURY.label),
    InsuranceType.MEDICAL: L("职工基本医疗保险", InsuranceType.MEDICAL.label),
}
INSURANCE_STATUS_ZH = {
    InsuranceStatus.CONTRIBUTING: L("参保缴费", InsuranceStatus.CONTRIBUTING.label),
    InsuranceStatus.SUSPENDED: L("暂停缴费", InsuranceStatus.SUSPENDED.label),
}
SEX_ZH = {
    Sex.MALE: L("男", Sex.MALE.label),
    Sex.FEMALE: L("女", Sex.FEMALE.label),
    Sex.UNKNOWN: L("未登记", Sex.UNKNOWN.label),
}
