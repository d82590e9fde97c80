"""``python -m disclosure_schema``: the same as the ``disclosure-schema`` command."""

from disclosure_schema.cli import main

if __name__ == "__main__":
    main(prog_name="disclosure-schema")
