"""WSGI entry point. Serve with: gunicorn csp_portal.wsgi"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
application = get_wsgi_application()
