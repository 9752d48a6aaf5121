from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_api_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="two_factor_roles",
            field=models.JSONField(
                blank=True, default=list, verbose_name="roller som kräver tvåstegsverifiering"
            ),
        ),
    ]
