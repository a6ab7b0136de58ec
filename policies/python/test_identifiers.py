"""Tests of identifiers.py, run by `procgate test` (plain functions, no fixtures)."""

from __future__ import annotations

from identifiers import _SHAPES, compact, lei_valid


def test_compact_removes_spaces_and_dashes() -> None:
    assert compact(" ab-12 cd ") == "AB12CD"


def test_uei_excludes_o_and_i() -> None:
    pattern, _ = _SHAPES["uei"]
    assert pattern.fullmatch("ABCDEFGHJKLM")
    assert not pattern.fullmatch("ABCDEFGHIJKL")  # I is never used in a UEI
    assert not pattern.fullmatch("ABC")


def test_cage_and_duns_shapes() -> None:
    assert _SHAPES["cage"][0].fullmatch("1A2B3")
    assert not _SHAPES["cage"][0].fullmatch("1A2O3")
    assert _SHAPES["duns"][0].fullmatch("123456789")
    assert not _SHAPES["duns"][0].fullmatch("12345678X")


def test_lei_check_digits() -> None:
    assert lei_valid("5493001KJTIIGC8Y1R12")  # Bloomberg Finance L.P. (GLEIF)
    assert not lei_valid("5493001KJTIIGC8Y1R13")
