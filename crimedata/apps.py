from django.apps import AppConfig


class CrimedataConfig(AppConfig):
    name = "crimedata"
    verbose_name = "Crime data"
