"""`python bench/floor/manage.py migrate --run-syncdb` creates the floor's tables (no migration files)."""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floorbench.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
