"""Reading a report: text out of .txt/.html/.pdf files, sentences with their offsets, and what
the text says about its own source (title, publisher, URL)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from incidents.errors import DataError
from incidents.extraction.dates import MONTH_ABBREVIATIONS_EN

__all__ = ["Sentence", "any_word", "guess_source", "read_report_file", "sentences"]

MAX_REPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text and where it starts and ends."""

    start: int
    end: int
    text: str
    paragraph: int


class _TextOfHtml(HTMLParser):
    _SKIP = frozenset(
        {
            "script",
            "style",
            "noscript",
            "template",
            "svg",
            "head",
            "nav",
            "footer",
            "form",
            "button",
        }
    )
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "section",
            "article",
            "blockquote",
            "title",
            "header",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def any_word(*alternatives: str) -> re.Pattern:
    """Return a case-insensitive pattern for any of the regular expressions as a whole word."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


def _html_text(raw: str) -> tuple[str, str | None]:
    parser = _TextOfHtml()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\s*\n\s*(\n\s*)+", "\n\n", text).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text, title


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def read_report_file(content: bytes, filename: str) -> tuple[str, str | None]:
    """Return (text, title or None) of a .txt, .html or .pdf report; raise ``DataError``."""
    name = (filename or "").lower()
    if len(content) > MAX_REPORT_BYTES:
        raise DataError(
            f"{filename} is {len(content) / 1e6:,.1f} MB; a report may be at most "
            f"{MAX_REPORT_BYTES / 1e6:,.0f} MB"
        )
    if name.endswith(".pdf") or content[:5] == b"%PDF-":
        text = _pdf_text(content, filename)
        title = None
    elif name.endswith((".html", ".htm")) or re.match(rb"\s*<(!doctype|html)", content[:200], re.I):
        text, title = _html_text(_decode(content))
    else:
        text, title = _decode(content), None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise DataError(f"{filename} holds no text to read")
    return text, title


def _pdf_text(content: bytes, filename: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is in requirements.txt
        raise DataError("reading PDF needs the pypdf package") from exc
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DataError(f"{filename} is not a readable PDF: {exc}") from exc
    return "\n\n".join(pages)


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset(
    [
        "a.m",
        "p.m",
        "mr",
        "mrs",
        "ms",
        "dr",
        "col",
        "gen",
        "lt",
        "capt",
        "sgt",
        "maj",
        "cpl",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "fig",
        *MONTH_ABBREVIATIONS_EN,
        "u.s",
        "u.n",
        "approx",
        "km",
        "mt",
        "mgr",
        "m",
        "mme",
        "av",
        "ave",
    ]
)
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de])")


def sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` with their character offsets (paragraphs never merge)."""
    out: list[Sentence] = []
    for para_no, para in enumerate(_paragraphs(text)):
        start, stop = para
        chunk = text[start:stop]
        pos = 0
        for match in _END.finditer(chunk):
            before = chunk[pos : match.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            out.extend(_sentence(text, start + pos, start + match.end(), para_no))
            pos = match.end()
        out.extend(_sentence(text, start + pos, stop, para_no))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for match in re.finditer(r"\n", text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _sentence(text: str, start: int, end: int, para: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Sentence(start, end, text[start:end], para)] if end > start else []


_URL = re.compile(r"https?://[^\s<>\"']+")
_PUBLISHER_PATTERNS = (
    re.compile(
        r"(?:Editor|editor|journalist|correspondent|reporter|Rédacteur|rédactrice|"
        r"journaliste) (?:for|at|of|à|de|chez) ((?:[A-Z][\w&'.-]*\s?){1,4})"
    ),
    re.compile(r"^((?:[A-Z][\w&'.-]*\s?){1,4}) publishes\b", re.M),
    re.compile(
        r"(?:Source|Publisher|Éditeur|Publié par|Published by)\s*:?\s*"
        r"((?:[A-Z][\w&'.-]*\s?){1,4})"
    ),
    re.compile(r"(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?((?:[A-Z][\w&'.-]*\s?){1,4})"),
)


def guess_source(text: str) -> dict[str, str]:
    """Return what the text says of itself: ``title`` (a short first line), ``publisher`` and
    ``url`` when it names them."""
    out: dict[str, str] = {}
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first and len(first) <= 200 and not first.endswith((".", ":", ";", ",")):
        out["title"] = first
    url = _URL.search(text)
    if url:
        out["url"] = url.group(0).rstrip(".,;)")
    for pattern in _PUBLISHER_PATTERNS:
        found = pattern.search(text)
        if found:
            name = found.group(1).strip(" .")
            if name:
                out["publisher"] = name
                break
    return out
