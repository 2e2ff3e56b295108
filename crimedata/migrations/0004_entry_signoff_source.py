# A status change made by signing a period off is recorded with its own source.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('crimedata', '0003_roles'),
    ]

    operations = [
        migrations.AlterField(
            model_name='figure',
            name='source',
            field=models.CharField(choices=[('grid', 'Quarterly entry grid'), ('upload', 'Spreadsheet upload'), ('command', 'Import command'), ('admin', 'Administrator correction'), ('demo', 'Demo data'), ('police.uk', 'police.uk street-level extract'), ('sign-off', 'Sign-off (marked final)')], max_length=12),
        ),
        migrations.AlterField(
            model_name='historicalfigure',
            name='source',
            field=models.CharField(choices=[('grid', 'Quarterly entry grid'), ('upload', 'Spreadsheet upload'), ('command', 'Import command'), ('admin', 'Administrator correction'), ('demo', 'Demo data'), ('police.uk', 'police.uk street-level extract'), ('sign-off', 'Sign-off (marked final)')], max_length=12),
        ),
        migrations.AlterField(
            model_name='importlog',
            name='source',
            field=models.CharField(blank=True, choices=[('grid', 'Quarterly entry grid'), ('upload', 'Spreadsheet upload'), ('command', 'Import command'), ('admin', 'Administrator correction'), ('demo', 'Demo data'), ('police.uk', 'police.uk street-level extract'), ('sign-off', 'Sign-off (marked final)')], max_length=12),
        ),
    ]
