"""Compile locale/ and locale_overrides/ catalogues to .mo with Babel: no GNU gettext needed on the machine."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    catalogues = [*(BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"),
                  *(BASE_DIR / "locale_overrides").glob("*/LC_MESSAGES/*.po")]
    for po_path in sorted(catalogues):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)
        print(f"compiled {mo_path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
