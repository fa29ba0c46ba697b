"""The `lapor` command: Django's management commands under one name (`lapor serve`, `lapor seed`,
`lapor migrate`, `lapor worker`, `lapor sweep`, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lapor", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
