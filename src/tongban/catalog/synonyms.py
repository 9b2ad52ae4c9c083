"""Words people type for what the catalog names otherwise (folded, simplified).

Each key, when found in a query, is also tried replaced by each alternative; the best
score wins. Keep entries to real usage seen at the counters, not guesses.
"""

SYNONYMS: dict[str, tuple[str, ...]] = {
    "社保": ("参保", "社会保险"),
    "医保": ("医疗保障", "医疗保险"),
    "公积金": ("住房公积金",),
    "回乡证": ("港澳居民来往内地通行证",),
    "通行证": ("来往内地通行证",),
    "居住证": ("港澳台居民居住证", "港澳居民居住证"),
    "身份证": ("身份证明",),
    "营业执照": ("设立登记", "商事登记"),
    "开公司": ("企业设立登记",),
    "注册公司": ("企业设立登记",),
    "房产证": ("不动产权证书", "不动产登记"),
    "房产": ("不动产",),
    "买房": ("购买自住住房", "商品房买卖"),
    "租房": ("租赁",),
    "交税": ("纳税", "申报"),
    "个税": ("个人所得税",),
    "税单": ("完税证明", "纳税记录"),
    "完税": ("完税证明", "纳税记录"),
    "驾照": ("驾驶证",),
    "结婚": ("结婚登记",),
    "离婚": ("离婚登记",),
    "出生证": ("出生医学证明",),
    "退休": ("养老",),
    "失业金": ("失业保险金",),
    "pension": ("old-age insurance", "retirement"),
    "id card": ("identity",),
    "driving licence": ("driving license", "driver"),
    "company registration": ("establishment registration",),
}
