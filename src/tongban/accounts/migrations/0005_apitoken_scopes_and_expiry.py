"""API tokens get scopes and an expiry. Tokens made before had neither: they become read-only
and expire 90 days after this migration, so no integration gains a right or loses its reads
overnight, and none keeps working for ever."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def read_only_for_ninety_days(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(scopes=["read"], expires_at=timezone.now() + dt.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_staff_unique_per_place"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list, verbose_name="scopes"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(read_only_for_ninety_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
