"""Ship the topic vocabulary and the service zones (illustrative addresses; edit in the admin)."""

from django.db import migrations

TOPIC_SLUGS = [
    "business-startup", "business-licences", "real-estate", "social-insurance", "tax",
    "provident-fund", "exit-entry", "household", "marriage", "education", "medical-insurance",
    "health", "employment", "talent", "housing", "transport", "social-assistance", "legal",
    "culture-tourism",
]

ZONES = [
    {
        "code": "JM", "position": 1, "holiday_calendar": "CN", "phone": "0750-12345",
        "name_zh_hans": "江门市民服务中心港澳跨境通办专区",
        "name_zh_hant": "江門市民服務中心港澳跨境通辦專區",
        "name_en": "Jiangmen Citizen Service Centre, Hong Kong and Macao Cross-border Services Zone",
        "name_pt": "Centro de Serviços ao Cidadão de Jiangmen, Zona de Serviços Transfronteiriços para Hong Kong e Macau",
        "address_zh_hans": "广东省江门市蓬江区发展大道市民服务中心一楼",
        "address_zh_hant": "廣東省江門市蓬江區發展大道市民服務中心一樓",
        "address_en": "1/F, Citizen Service Centre, Fazhan Avenue, Pengjiang District, Jiangmen, Guangdong",
        "address_pt": "1.º andar, Centro de Serviços ao Cidadão, Avenida Fazhan, Distrito de Pengjiang, Jiangmen, Cantão",
        "hours_zh_hans": "周一至周五 9:00–12:00，14:00–17:30（法定节假日除外，调休工作日照常办公）",
        "hours_zh_hant": "週一至週五 9:00–12:00，14:00–17:30（法定節假日除外，調休工作日照常辦公）",
        "hours_en": "Mon–Fri 9:00–12:00, 14:00–17:30 (closed on mainland public holidays; open on make-up working days)",
        "hours_pt": "Seg.–sex. 9:00–12:00, 14:00–17:30 (encerrado nos feriados do Interior da China; aberto nos dias úteis de compensação)",
    },
    {
        "code": "MO-1", "position": 2, "holiday_calendar": "MO", "phone": "+853 2800 0000",
        "name_zh_hans": "江门—澳门跨境通办政务服务专区（澳门半岛）",
        "name_zh_hant": "江門—澳門跨境通辦政務服務專區（澳門半島）",
        "name_en": "Jiangmen–Macao Cross-border Government Services Zone (Macao Peninsula)",
        "name_pt": "Zona de Serviços Governamentais Transfronteiriços Jiangmen–Macau (Península de Macau)",
        "address_zh_hans": "澳门新口岸区域（示例地址）",
        "address_zh_hant": "澳門新口岸區域（示例地址）",
        "address_en": "NAPE area, Macao (illustrative address)",
        "address_pt": "Zona dos Novos Aterros do Porto Exterior, Macau (endereço ilustrativo)",
        "hours_zh_hans": "周一至周五 9:30–17:30（澳门公众假期休息）",
        "hours_zh_hant": "週一至週五 9:30–17:30（澳門公眾假期休息）",
        "hours_en": "Mon–Fri 9:30–17:30 (closed on Macao public holidays)",
        "hours_pt": "Seg.–sex. 9:30–17:30 (encerrado nos feriados públicos de Macau)",
    },
    {
        "code": "MO-2", "position": 3, "holiday_calendar": "MO", "phone": "+853 2800 0001",
        "name_zh_hans": "江门—澳门跨境通办政务服务专区（氹仔）",
        "name_zh_hant": "江門—澳門跨境通辦政務服務專區（氹仔）",
        "name_en": "Jiangmen–Macao Cross-border Government Services Zone (Taipa)",
        "name_pt": "Zona de Serviços Governamentais Transfronteiriços Jiangmen–Macau (Taipa)",
        "address_zh_hans": "澳门氹仔（示例地址）",
        "address_zh_hant": "澳門氹仔（示例地址）",
        "address_en": "Taipa, Macao (illustrative address)",
        "address_pt": "Taipa, Macau (endereço ilustrativo)",
        "hours_zh_hans": "周二至周六 10:00–18:00（澳门公众假期休息）",
        "hours_zh_hant": "週二至週六 10:00–18:00（澳門公眾假期休息）",
        "hours_en": "Tue–Sat 10:00–18:00 (closed on Macao public holidays)",
        "hours_pt": "Ter.–sáb. 10:00–18:00 (encerrado nos feriados públicos de Macau)",
    },
    {
        "code": "HK", "position": 4, "holiday_calendar": "HK", "phone": "+852 2800 0000",
        "name_zh_hans": "江门—香港跨境通办政务服务专区",
        "name_zh_hant": "江門—香港跨境通辦政務服務專區",
        "name_en": "Jiangmen–Hong Kong Cross-border Government Services Zone",
        "name_pt": "Zona de Serviços Governamentais Transfronteiriços Jiangmen–Hong Kong",
        "address_zh_hans": "香港九龙（示例地址）",
        "address_zh_hant": "香港九龍（示例地址）",
        "address_en": "Kowloon, Hong Kong (illustrative address)",
        "address_pt": "Kowloon, Hong Kong (endereço ilustrativo)",
        "hours_zh_hans": "周一至周五 9:00–17:00（香港公众假期休息）",
        "hours_zh_hant": "週一至週五 9:00–17:00（香港公眾假期休息）",
        "hours_en": "Mon–Fri 9:00–17:00 (closed on Hong Kong public holidays)",
        "hours_pt": "Seg.–sex. 9:00–17:00 (encerrado nos feriados públicos de Hong Kong)",
    },
]


def seed(apps, schema_editor):
    Topic = apps.get_model("catalog", "Topic")
    Zone = apps.get_model("catalog", "Zone")
    for position, slug in enumerate(TOPIC_SLUGS, start=1):
        Topic.objects.update_or_create(slug=slug, defaults={"position": position})
    for zone in ZONES:
        Zone.objects.update_or_create(code=zone["code"], defaults=zone)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
