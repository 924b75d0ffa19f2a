"""Allow `python -m factsheet`. Python puts the working directory first on `sys.path`
for `-m`; it is dropped before anything else is imported, so a project's own
`reportlab_settings.py` (or any other module lying there) is never run."""

from factsheet.security import no_imports_from_cwd

no_imports_from_cwd()

if __name__ == "__main__":
    from factsheet.cli import main

    main()
