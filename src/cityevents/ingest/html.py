"""Web pages -> events.

The page is cleaned of what is never content (scripts, navigation, headers and footers
outside the article, sidebars, cookie banners, forms, hidden elements), then written out
as the plain text the free-text engine reads: headings on their own lines, ``<li>`` as
``"  • item"`` lines, paragraphs separated by blank lines, table rows as ``" | "``-joined
cells. The page's own publication date anchors year-less dates. When the page carries
schema.org Event data, the structured events win over prose events that repeat them.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import lxml.etree
import lxml.html
from htmldate import find_date

from cityevents.errors import InputError
from cityevents.extract.engine import extract_events
from cityevents.ingest import jsonld
from cityevents.ingest.common import parse_iso
from cityevents.ingest.sniff import decode
from cityevents.model import Event, fold, normalise_name

LOGGER = logging.getLogger(__name__)

BULLET = "  • "
DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "textarea", "input", "label", "dialog", "object", "embed", "head", "menu",
    }
)  # fmt: skip
PAGE_FRAME_TAGS = frozenset({"header", "footer"})  # dropped unless inside the article or main content
CONTENT_TAGS = frozenset({"article", "main"})
PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})
BOILERPLATE_CLASS = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|sidebar|side-bar|footer|cookies?|consent|gdpr|breadcrumbs?"
    r"|skip-link|share|sharing|social|newsletter|advert|ads|banner-ad|popup|modal)(?:$|[-_])",
    re.IGNORECASE,
)
BOILERPLATE_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
    }
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PARAGRAPH_TAGS = frozenset(
    {
        "p", "section", "article", "main", "blockquote", "pre", "figure", "address", "dl", "details",
        "summary", "header", "footer", "hr", "fieldset", "center",
    }
)  # fmt: skip
LINE_TAGS = frozenset({"div", "dt", "dd", "figcaption", "caption", "legend", "time"})
LIST_TAGS = frozenset({"ul", "ol"})
CELL_TAGS = frozenset({"td", "th"})
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "pubdate",
    "publish_date",
    "publication_date",
    "sailthru.date",
)
MIN_PUBLISHED = "1995-01-01"


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events of a web page: structured schema.org events first, then prose events that add to them.

    Args:
        data: the page.
        source: its path or URL (the base for relative links).
        published: a publication date known from elsewhere; the page's own date wins.

    Returns:
        The events, structured ones first.

    Raises:
        InputError: undecodable or empty page.
    """
    tree = page_tree(decode(data))
    items = jsonld.extract_items(tree, base_url=source if "://" in source else None)
    published = page_published(tree, items) or published
    structured = jsonld.events_from_items(items, source=source, published=published)
    text = html_to_text(tree)
    prose = extract_events(text, source=source, published=published) if text else []
    kept = [event for event in prose if not duplicates(event, structured)]
    if len(kept) < len(prose):
        LOGGER.info(
            "%s: %d prose event(s) repeat the structured data, dropped", source, len(prose) - len(kept)
        )
    return structured + kept


def page_tree(text: str) -> lxml.html.HtmlElement:
    """The parsed page; raises :class:`InputError` when nothing parses."""
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"unreadable HTML: {exc}") from exc
    return tree


def html_to_text(markup: str | lxml.html.HtmlElement) -> str:
    """The main content of a page (or an HTML fragment) as structured plain text."""
    if isinstance(markup, str):
        if "<" not in markup:
            return markup.strip("\n")
        try:
            tree = (
                lxml.html.fromstring(f"<div>{markup}</div>")
                if "<html" not in markup[:500].lower()
                else page_tree(markup)
            )
        except (lxml.etree.ParserError, ValueError, InputError):
            return ""
    else:
        tree = markup
    writer = TextWriter()
    writer.walk(main_content(tree))
    return writer.result()


def main_content(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """``<main>`` (or ``role="main"``) when the page has one, else the body; boilerplate removed."""
    mains = tree.xpath("//main | //*[@role='main']")
    root = mains[0] if len(mains) == 1 else tree
    body = root.find("body") if root.tag == "html" else None
    root = body if body is not None else root
    for element in list(root.iter()):
        if element is not root and is_boilerplate(element):
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()
    return root


def is_boilerplate(element: lxml.html.HtmlElement) -> bool:
    """Navigation, page frame, sidebars, banners, forms, hidden elements."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag:
        return True  # comments and processing instructions
    tag = tag.lower()
    if tag in DROPPED_TAGS:
        return True
    if tag in PAGE_FRAME_TAGS and not any(a.tag in CONTENT_TAGS for a in element.iterancestors()):
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if HIDDEN_STYLE.search(element.get("style", "")):
        return True
    if (element.get("role") or "").lower() in BOILERPLATE_ROLES:
        return True
    if tag in PROTECTED_TAGS:
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}".split()
    return any(BOILERPLATE_CLASS.search(name) for name in names)


class TextWriter:
    """Walks an element tree and writes the lines the free-text engine reads."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.prefix = ""

    def walk(self, element: lxml.html.HtmlElement) -> None:
        """Write an element, its children and their tails."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in HEADINGS:
            self.blank()
            self.inline.append(element.text_content())
            self.flush()
            self.blank()
            return
        if tag == "br":
            self.flush()
            return
        if tag == "tr":
            self.row(element)
            return
        if tag == "li":
            self.flush()
            self.prefix = BULLET
        elif tag in LIST_TAGS or tag == "table":
            self.flush()
            if not self.lines or not self.lines[-1].startswith(BULLET):
                self.blank()
        elif tag in PARAGRAPH_TAGS:
            self.blank()
        elif tag in LINE_TAGS:
            self.flush()
        if element.text and tag:
            self.inline.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.inline.append(child.tail)
        if tag == "li" or tag in LINE_TAGS:
            self.flush()
        elif tag in PARAGRAPH_TAGS or tag in LIST_TAGS or tag == "table":
            self.blank()

    def row(self, row: lxml.html.HtmlElement) -> None:
        """A table row as one " | "-joined line."""
        self.flush()
        cells = [" ".join(cell.text_content().split()) for cell in row if cell.tag in CELL_TAGS]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            self.lines.append(line)

    def flush(self) -> None:
        """End the current line."""
        text = " ".join("".join(self.inline).split())
        self.inline.clear()
        if text:
            self.lines.append(self.prefix + text)
            self.prefix = ""

    def blank(self) -> None:
        """End the current paragraph."""
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def result(self) -> str:
        """All lines written."""
        self.flush()
        return "\n".join(self.lines).strip("\n")  # not strip(): a first "  • " line keeps its indent


def page_published(tree: lxml.html.HtmlElement, items: list[object]) -> date | None:
    """The page's publication date: meta tags, schema.org datePublished, then htmldate (offline)."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        if key.lower() in {name.lower() for name in PUBLISHED_META}:
            parsed = parse_iso((meta.get("content") or "").strip())
            if parsed:
                return parsed[0]
    found = jsonld.published_date(list(items))
    if found:
        return found
    for element in tree.xpath("//time[@pubdate or @itemprop='datePublished'][@datetime]"):
        parsed = parse_iso(element.get("datetime"))
        if parsed:
            return parsed[0]
    return htmldate_published(tree)


def htmldate_published(tree: lxml.html.HtmlElement) -> date | None:
    """htmldate's original-date guess on the tree (never a URL: it would fetch it)."""
    try:
        found = find_date(
            lxml.html.tostring(tree, encoding="unicode"),
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d",
            min_date=MIN_PUBLISHED,
        )
    except Exception as exc:  # noqa: BLE001 - htmldate fails on odd markup in many ways; a missing date is fine
        LOGGER.debug("htmldate failed: %s", exc)
        return None
    return date.fromisoformat(found) if found else None


def duplicates(event: Event, structured: list[Event]) -> bool:
    """A prose event that repeats a structured one.

    Same normalised name (or alias, or a name of two words or more that the prose name
    contains), or the same city and a start that is the structured start or its previous start.
    """
    name = f" {normalise_name(event.name)} "
    for other in structured:
        names = {normalise_name(n) for n in [other.name, *other.aliases]} - {""}
        if any(name.strip() == n or (len(n.split()) > 1 and f" {n} " in name) for n in names):
            return True
        same_city = bool(event.city) and fold(event.city) == fold(other.city)
        if same_city and event.start is not None and event.start in (other.start, other.previous_start):
            return True
    return False
