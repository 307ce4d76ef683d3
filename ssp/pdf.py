"""PDF rendering with WeasyPrint, shared by the minutes and the ActionCard.

Nothing is fetched while a PDF is rendered: every stylesheet, image and font the documents
need is in the HTML itself or installed on the machine, so a URL in user text (a tracking
pixel, an internal address) can never reach the network or the file system. Only `data:`
URLs, which carry their content inline, are read.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class NetworkFetchRefused(Exception):
    """Raised for every URL a document asks for; WeasyPrint skips the resource and logs it."""


class NoNetworkFetcher(URLFetcher):
    def fetch(self, url: str, headers: object = None) -> object:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        raise NetworkFetchRefused(url)


def render_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """The PDF of a self-contained HTML document; `pdf_variant` as WeasyPrint names them
    (e.g. "pdf/ua-1")."""
    document = HTML(string=html, url_fetcher=NoNetworkFetcher())
    return document.write_pdf(pdf_variant=pdf_variant)
