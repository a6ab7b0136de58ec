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


def convert(root: Any) -> tuple[dict[str, Any], MarkLocator]:
    ns = etree.QName(root).namespace or ""
    data: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": ns.rsplit("/", 1)[-1]}
    locator = MarkLocator(data, (root.sourceline or 1, 0))
    converter = _Converter(ns, locator)
    for name, value in root.attrib.items():
        if not name.startswith("{"):
            data[name] = _NUMBERS[name](value) if name in _NUMBERS and value.isdigit() else value
    converter.children(root, data, "bom")
    return data, locator


class _Converter:
    def __init__(self, ns: str, locator: MarkLocator) -> None:
        self.prefix = "{" + ns + "}"
        self.locator = locator
        self._names: dict[Any, str | None] = {}  # tag -> local name, met thousands of times

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
        self.locator.mark(container, key, element.sourceline or 0, 0)

    def children(self, element: Any, into: dict[str, Any], name: str = "") -> None:
        """Child elements of `element` (itself named `name`) as members of `into`."""
        repeated = _REPEATED.get(name, ())
        grown: set[str] = set()  # members that became arrays because their element repeats
        first_line: dict[str, int] = {}
        for child in element:
            key = self.local(child)
            if key is None:
                continue
            value = self.value(key, child)
            if key in grown:
                items = into[key]
            elif key in repeated:
                items = into[key] = []
                grown.add(key)
                self.mark(into, key, child)
            elif key in into:  # repeats although its JSON form is one value: keep them all
                items = into[key] = [into[key]]
                grown.add(key)
                self.locator.mark(items, 0, first_line[key], 0)
            else:
                into[key] = value
                first_line[key] = child.sourceline or 0
                self.mark(into, key, child)
                continue
            self.mark(items, len(items), child)
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
        attrs = [(k, v) for k, v in element.items() if not k.startswith("{")]
        has_children = len(element) > 0 and any(self.local(c) is not None for c in element)
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
        for child in element:
            if self.local(child) == child_name:
                self.mark(items, len(items), child)
                items.append(self.value(child_name, child))
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


def _wrapped(name: str, element: Any, converter: _Converter) -> str | None:
    """The repeated child of a wrapper element, or None when `element` is no wrapper."""
    if element.attrib and name not in _WRAPPERS:
        return None
    expected = _WRAPPERS.get(name)
    if expected is None:
        if name.endswith("ies"):
            expected = name[:-3] + "y"
        elif name.endswith("es") and name[:-2] in _ES:
            expected = name[:-2]
        elif name.endswith("s"):
            expected = name[:-1]
        else:
            return None
    children = [converter.local(c) for c in element if converter.local(c) is not None]
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
