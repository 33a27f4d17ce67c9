"""Matplotlib's SVG made fit to inline in a page: one figure among many, styled by the site.

Inline rather than an <img>, so the site's stylesheet reaches the text: it
takes the page's colour in either scheme and its font, and stays real text a
browser can measure. What matplotlib writes for a standalone file is trimmed:
its metadata, a global <style> (inline, it would apply to the whole page), ids
nobody refers to (every figure numbers its parts from 1, so two figures on a
page would repeat them), text colours and fonts (the stylesheet's job), and
coordinates to 0.1 pt. Embedded rasters (an imshow) move out to PNG files
next to the page, as the notebook's PNG plots do.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NUMBER = re.compile(r"-?\d+\.\d{2,}")
REFERENCE = re.compile(r"url\(#([^)]+)\)")
# The parts of a <text>'s style that place and size it; colour and font come from the page.
TEXT_STYLE_KEPT = ("font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline")
PT = 4 / 3  # CSS px per point: matplotlib sizes the figure in points
PNG_DATA = "data:image/png;base64,"

ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


class FigureError(ValueError):
    """The notebook output is not an SVG figure this module can inline."""


@dataclass(frozen=True)
class InlineFigure:
    markup: str  # the <svg> element
    rasters: tuple[tuple[str, bytes], ...]  # (file name, PNG bytes) it refers to


def inline_svg(svg: str, *, key: str, label: str) -> InlineFigure:
    """`svg` (a matplotlib file) as an inline <svg> element: ids prefixed with `key`, named `label`."""
    try:
        root = ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError as exc:
        raise FigureError(f"the SVG output does not parse: {exc}") from None
    if root.tag != f"{{{SVG}}}svg" or "viewBox" not in root.attrib:
        raise FigureError("the SVG output has no <svg viewBox> root")
    _drop(root, {f"{{{SVG}}}metadata", f"{{{SVG}}}style"})
    rasters = _rasters_to_files(root)
    referenced = _references(root)
    for element in root.iter():
        _rename(element, referenced, key)
        if element.tag == f"{{{SVG}}}text" and "style" in element.attrib:
            element.set("style", _text_style(element.attrib["style"]))
        for name in ("d", "x", "y", "transform", "points", "width", "height"):
            if name in element.attrib and element is not root:
                element.set(name, NUMBER.sub(_round, element.attrib[name]))
        if "style" in element.attrib:
            element.set("style", re.sub(r"\s*([:;])\s*", r"\1", element.attrib["style"]).strip(";"))
    _unwrap_bare_groups(root)
    for element in root.iter():  # indentation between elements: bytes a page need not carry
        if element.tail is not None and not element.tail.strip():
            element.tail = None
        if len(element) and element.text is not None and not element.text.strip():
            element.text = None
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    root.attrib.pop("version", None)
    root.set("width", f"{width * PT:.0f}")
    root.set("height", f"{height * PT:.0f}")
    root.set("class", "nb-figure")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("data-search-exclude", "")  # tick labels and legends are not search terms
    return InlineFigure(ET.tostring(root, encoding="unicode", short_empty_elements=True), rasters)


def _rasters_to_files(root: ET.Element) -> tuple[tuple[str, bytes], ...]:
    found = []
    for image in root.iter(f"{{{SVG}}}image"):
        href = image.attrib.pop(XLINK_HREF, None) or image.attrib.pop("href", "")
        if not href.startswith(PNG_DATA):
            raise FigureError("an <image> in the SVG output is not an embedded PNG")
        data = base64.b64decode("".join(href[len(PNG_DATA):].split()))
        name = f"fig-{hashlib.sha256(data).hexdigest()[:12]}.png"
        image.set(XLINK_HREF, name)  # see _rename
        found.append((name, data))
    return tuple(found)


def _drop(root: ET.Element, tags: set[str]) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in tags:
                parent.remove(child)


def _unwrap_bare_groups(root: ET.Element) -> None:
    """A <g> left with no attributes (its id was dropped) groups nothing the page uses: keep its children only."""
    for parent in list(root.iter()):
        children = list(parent)
        if not any(c.tag == f"{{{SVG}}}g" and not c.attrib for c in children):
            continue
        flat: list[ET.Element] = []
        stack = children[::-1]
        while stack:
            child = stack.pop()
            if child.tag == f"{{{SVG}}}g" and not child.attrib:
                stack.extend(list(child)[::-1])
            else:
                flat.append(child)
        parent[:] = flat


def _references(root: ET.Element) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            found.update(REFERENCE.findall(value))
            if name in (XLINK_HREF, "href") and value.startswith("#"):
                found.add(value[1:])
    return found


def _rename(element: ET.Element, referenced: set[str], key: str) -> None:
    own = element.attrib.pop("id", None)
    if own in referenced:
        element.set("id", f"{key}-{own}")
    for name, value in list(element.attrib.items()):
        if name in (XLINK_HREF, "href") and value.startswith("#"):
            del element.attrib[name]
            # xlink:href, not SVG 2's href: Material's instant navigation assigns every [href]
            # element's .href, which on SVG elements is read-only and throws.
            element.set(XLINK_HREF, f"#{key}-{value[1:]}")
        elif "url(#" in value:
            element.set(name, REFERENCE.sub(lambda m: f"url(#{key}-{m.group(1)})", value))


def _text_style(style: str) -> str:
    kept = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() in TEXT_STYLE_KEPT:
            kept.append(f"{name.strip()}:{NUMBER.sub(_round, value.strip())}")
    return ";".join(kept)


def _round(match: re.Match[str]) -> str:
    # 0.1 pt is 0.13 CSS px at the figure's own size: finer than a screen shows.
    return f"{float(match.group()):.1f}".rstrip("0").rstrip(".")
