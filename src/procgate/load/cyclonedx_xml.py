"""CycloneDX XML -> the shape of CycloneDX JSON, recording each element's line.

The XML and JSON forms carry the same model, differing in a few regular ways that the
tables below spell out: wrapper elements become arrays (<components><component/>… ->
"components": [...]), attributes become members, an element holding only text becomes
a string, and a handful of elements have a JSON form of their own (hash, property,
dependency, licenses, tools). Elements outside the CycloneDX namespace (extensions)
have no JSON form and are left out. Values stay strings except the few numbers and
booleans listed in _NUMBERS and _BOOLEANS.
"""

from __future__ import annotations

import io
from typing import Any

from lxml import etree

from procgate.load.marks import MarkLocator

# Wrapper element -> the child element it repeats, where the plural is not simply
# child + "s" / "es" / "y"->"ies".
_WRAPPERS = {
    "externalReferences": "reference",
    "ancestors": "component",
    "descendants": "component",
    "variants": "component",
    "resolves": "issue",
    "affects": "target",
    "assemblies": "assembly",
    "data": "classification",  # service data (1.2-1.4)
    "occurrences": "occurrence",
    "frames": "frame",
    "copyright": "text",  # evidence copyright
    "formulation": "formula",
}
# Elements whose JSON form is an array even when they occur once, by parent element.
_ORGANIZATION = frozenset(("url", "contact"))
_REPEATED = {
    "supplier": _ORGANIZATION,
    "manufacturer": _ORGANIZATION,
    "manufacture": _ORGANIZATION,
    "provider": _ORGANIZATION,
    "organization": _ORGANIZATION,
    "component": frozenset(("omniborId", "swhid")),
}
_NUMBERS = {"version": int}  # the bom's version attribute
_BOOLEANS = {"modified", "authenticated", "x-trust-boundary", "isExternal"}


# Top-level lists whose items stream(): item element -> the wrapper element it is in.
_STREAMED = {
    "component": "components",
    "service": "services",
    "dependency": "dependencies",
    "vulnerability": "vulnerabilities",
}


def convert(root: Any) -> tuple[dict[str, Any], MarkLocator]:
    ns = etree.QName(root).namespace or ""
    data: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": ns.rsplit("/", 1)[-1]}
    locator = MarkLocator(data, (root.sourceline or 1, 0))
    _Converter(ns, locator).bom(root, data)
    return data, locator


def stream(
    content: bytes, namespace: str, schema: Any, options: dict[str, Any]
) -> tuple[dict[str, Any], MarkLocator] | None:
    """convert() while libxml2 parses `content` and checks it against `schema`: each item
    of a top-level list (components, services, dependencies, vulnerabilities) is converted
    at its end tag and its children are freed; what is left of the tree is converted at
    the end. XMLSyntaxError when the document is malformed or invalid; None when it is
    not a CycloneDX BOM in `namespace` or declares a DTD (the whole-tree pass decides)."""
    data: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": namespace.rsplit("/", 1)[-1]}
    locator = MarkLocator(data, (1, 0))
    converter = _Converter(namespace, locator)
    prefix = converter.prefix
    wrapper_of = {prefix + item: prefix + wrapper for item, wrapper in _STREAMED.items()}
    events = etree.iterparse(
        io.BytesIO(content), events=("end",), tag=tuple(wrapper_of), schema=schema, **options
    )
    for _, element in events:
        parent = element.getparent()
        if parent is None or parent.tag != wrapper_of[element.tag]:
            continue
        top = parent.getparent()
        if top is not None and top.getparent() is None:  # the wrapper is the root's child
            converter.settle(element)
    root = events.root
    if root is None or root.getroottree().docinfo.internalDTD is not None:
        return None
    if etree.QName(root).namespace != namespace:
        return None
    locator.root = (root.sourceline or 1, 0)
    converter.bom(root, data)
    return data, locator


class _Converter:
    """One document's conversion. Every element costs a few Python calls, and a 100k-
    component SBOM has 1.4M of them: the common case (an element holding only text)
    is read inline, and each container's marks are filled through one table."""

    def __init__(self, ns: str, locator: MarkLocator) -> None:
        self.prefix = "{" + ns + "}"
        self.locator = locator
        self._names: dict[Any, str | None] = {}  # tag -> local name, met thousands of times
        # Items stream() converted already, by id of their (kept, emptied) element:
        # (element, its line, its value). The element is kept so that its id stays its own.
        self._settled: dict[int, tuple[Any, int, Any]] = {}
        self._looking = False  # whether an element met may be a settled one (in bom())

    def bom(self, root: Any, data: dict[str, Any]) -> None:
        for name, value in root.attrib.items():
            if not name.startswith("{"):
                number = name in _NUMBERS and value.isdigit()
                data[name] = _NUMBERS[name](value) if number else value
        self._looking = bool(self._settled)
        self.children(root, data, "bom")

    def settle(self, element: Any) -> None:
        """Convert a top-level item now and free its children; its line is kept, since
        libxml2 finds the line of an element past line 65,535 through its children."""
        line = element.sourceline or 0
        value = self.value(self.local(element) or "", element)
        element.clear(keep_tail=True)
        self._settled[id(element)] = (element, line, value)

    def local(self, element: Any) -> str | None:
        tag = element.tag
        try:
            return self._names[tag]
        except KeyError:
            ours = isinstance(tag, str) and tag.startswith(self.prefix)
            # None for an extension namespace or a comment
            name = self._names[tag] = tag[len(self.prefix) :] if ours else None
            return name

    def mark(self, container: Any, key: str | int, element: Any) -> None:
        self.locator.table(container)[key] = element.sourceline or 0

    def child_value(self, name: str, child: Any) -> tuple[int, Any]:
        """(line, value) of a child element: settled by stream(), or converted now."""
        if self._looking:
            settled = self._settled.get(id(child))
            if settled is not None:
                return settled[1], settled[2]
        if _TEXT_ONLY[name] and not len(child) and not child.items():
            text = child.text
            text = text.strip() if text else ""
            if name in _BOOLEANS and text in ("true", "false"):
                return child.sourceline or 0, text == "true"
            return child.sourceline or 0, text
        return child.sourceline or 0, self.value(name, child)

    def children(self, element: Any, into: dict[str, Any], name: str = "") -> None:
        """Child elements of `element` (itself named `name`) as members of `into`."""
        repeated = _REPEATED.get(name, ())
        grown: dict[str, dict[str | int, Any]] = {}  # arrays made of a repeated element
        first_line: dict[str, int] = {}
        names = self._names
        text_only = _TEXT_ONLY
        marks: dict[str | int, Any] | None = None
        for child in element:
            try:
                key = names[child.tag]
            except KeyError:
                key = self.local(child)
            if key is None:
                continue
            if self._looking:
                line, value = self.child_value(key, child)
            elif text_only[key] and not len(child) and not child.items():  # child_value, inline
                line = child.sourceline or 0
                value = child.text
                value = value.strip() if value else ""
                if key in _BOOLEANS and value in ("true", "false"):
                    value = value == "true"
            else:
                line = child.sourceline or 0
                value = self.value(key, child)
            if marks is None:
                marks = self.locator.table(into)
            if key in grown:
                items = into[key]
                item_marks = grown[key]
            elif key in repeated:
                items = into[key] = []
                item_marks = grown[key] = self.locator.table(items)
                marks[key] = line
            elif key in into:  # repeats although its JSON form is one value: keep them all
                items = into[key] = [into[key]]
                item_marks = grown[key] = self.locator.table(items)
                item_marks[0] = first_line[key]
            else:
                into[key] = value
                first_line[key] = line
                marks[key] = line
                continue
            item_marks[len(items)] = line
            items.append(value)

    def value(self, name: str, element: Any) -> Any:
        if name == "licenses":
            return self.licenses(element)
        if name == "tools":
            return self.tools(element)
        if name == "dependency":
            return self.dependency(element)
        child = _wrapped(name, element, self)
        if child is not None:
            return self.items(element, child)
        return self.element(name, element)

    def element(self, name: str, element: Any) -> Any:
        attrs = element.items()
        if attrs:
            attrs = [(k, v) for k, v in attrs if not k.startswith("{")]
        has_children = False
        if len(element):
            names = self._names
            for child in element:
                try:
                    key = names[child.tag]
                except KeyError:
                    key = self.local(child)
                if key is not None:
                    has_children = True
                    break
        text = (element.text or "").strip()
        if not attrs and not has_children:
            if name in _BOOLEANS and text in ("true", "false"):
                return text == "true"
            return text
        result: dict[str, Any] = {}
        for key, value in attrs:
            key = "contentType" if key == "content-type" else key
            if key in _BOOLEANS and value in ("true", "false"):
                result[key] = value == "true"
            else:
                result[key] = value
        if has_children:
            self.children(element, result, name)
        elif text:
            if name == "property":
                result["value"] = text
            elif name == "classification":
                result["classification"] = text
            else:  # hash, license text, attachments
                result["content"] = text
        return result

    def items(self, element: Any, child_name: str) -> list[Any]:
        items: list[Any] = []
        marks = self.locator.table(items)
        names = self._names
        for child in element:
            try:
                key = names[child.tag]
            except KeyError:
                key = self.local(child)
            if key == child_name:
                line, value = self.child_value(child_name, child)
                marks[len(items)] = line
                items.append(value)
        return items

    def licenses(self, element: Any) -> list[Any]:
        """<license>… -> {"license": {…}}, <expression>… -> {"expression": "…"}."""
        items: list[Any] = []
        for child in element:
            name = self.local(child)
            if name not in ("license", "expression"):
                continue
            entry: dict[str, Any] = {}
            self.mark(items, len(items), child)
            if name == "license":
                entry["license"] = self.element(name, child)
            else:
                entry["expression"] = (child.text or "").strip()
                entry.update({k: v for k, v in child.attrib.items() if not k.startswith("{")})
            self.mark(entry, name, child)
            items.append(entry)
        return items

    def tools(self, element: Any) -> Any:
        """1.4 and older: a list of <tool>; 1.5+: {"components": […], "services": […]}."""
        if any(self.local(c) == "tool" for c in element):
            return self.items(element, "tool")
        result: dict[str, Any] = {}
        self.children(element, result, "tools")
        return result

    def dependency(self, element: Any) -> dict[str, Any]:
        result: dict[str, Any] = {"ref": element.get("ref", "")}
        for child in element:
            name = self.local(child)
            if name in ("dependency", "provides"):
                key = "dependsOn" if name == "dependency" else "provides"
                items = result.get(key)
                if items is None:
                    items = result[key] = []
                    self.mark(result, key, child)
                self.mark(items, len(items), child)
                items.append(child.get("ref", ""))
        return result


def _expected(name: str) -> str | None:
    """The child element a wrapper named `name` repeats; None for a name that is no
    plural (and so never a wrapper)."""
    try:
        return _EXPECTED[name]
    except KeyError:
        pass
    expected = _WRAPPERS.get(name)
    if expected is None:
        if name.endswith("ies"):
            expected = name[:-3] + "y"
        elif name.endswith("es") and name[:-2] in _ES:
            expected = name[:-2]
        elif name.endswith("s"):
            expected = name[:-1]
    _EXPECTED[name] = expected
    return expected


_EXPECTED: dict[str, str | None] = {}


def _wrapped(name: str, element: Any, converter: _Converter) -> str | None:
    """The repeated child of a wrapper element, or None when `element` is no wrapper."""
    expected = _expected(name)
    if expected is None or (element.attrib and name not in _WRAPPERS):
        return None
    children = [n for n in map(converter.local, element) if n is not None]
    if children and all(c == expected for c in children):
        return expected
    if not children and name in _EMPTY_LISTS:
        return expected
    return None


_ES = {"hash", "patch"}
# Wrappers that are arrays in JSON even when empty.
_EMPTY_LISTS = {
    "components",
    "services",
    "dependencies",
    "externalReferences",
    "hashes",
    "licenses",
    "properties",
    "vulnerabilities",
    "authors",
}


# Elements whose value, when they hold only text (no child, no attribute), is that text:
# every name but the special forms (licenses, tools, dependency) and the wrappers that
# are arrays even when empty. Filled as names are met (a name's answer never changes).
class _TextOnly(dict[str, bool]):
    def __missing__(self, name: str) -> bool:
        special = name in ("licenses", "tools", "dependency")
        self[name] = ok = not special and not (_expected(name) and name in _EMPTY_LISTS)
        return ok


_TEXT_ONLY = _TextOnly()
