#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
    # manage.py is a developer's tool: without DEBUG set it runs in development
    # mode (and so may use the fixed development key). Production sets DEBUG=0
    # for every command, and gunicorn (csp_portal/wsgi.py) never defaults it.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
