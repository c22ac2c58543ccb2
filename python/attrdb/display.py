"""A report or a plot made by the binary, shown inline in Jupyter."""
from __future__ import annotations

import html
from pathlib import Path


class Report:
    """One self-contained HTML page (`attrdb report`); Jupyter shows it in a sandboxed frame."""

    def __init__(self, page: str):
        self.html = page

    def save(self, path: str) -> None:
        """Writes the page to `path`."""
        Path(path).write_text(self.html, encoding="utf-8")

    def _repr_html_(self) -> str:
        # An iframe keeps the report's own styles and scripts from leaking into the notebook's page.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                'style="width:100%;height:800px;border:0"></iframe>')


class Plot:
    """One SVG drawing (`attrdb plot`)."""

    def __init__(self, svg: str):
        self.svg = svg

    def save(self, path: str) -> None:
        """Writes the SVG to `path`."""
        Path(path).write_text(self.svg, encoding="utf-8")

    def _repr_svg_(self) -> str:
        return self.svg
