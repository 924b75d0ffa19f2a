"""Regenerate docs/demo-page-1.png, the picture of the demo's first page in README.md.

.venv/bin/python scripts/readme_image.py
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from factsheet.build import render

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    pdf = render(ROOT / "factsheets" / "2021.yaml").pdf
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=80 / 72).to_pil().convert("RGB")
    target = ROOT / "docs" / "demo-page-1.png"
    image.save(target, optimize=True)
    print(f"wrote {target.relative_to(ROOT)} ({image.width}×{image.height})")


if __name__ == "__main__":
    main()
