"""The route search's bounds kept on disk: read back when nothing they depend on changed, built again otherwise."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from refuge.terrain.bounds_cache import BoundsCache
from refuge.terrain.search import Searcher
from tests.unit.test_search import ISLAND, drawn


def _searcher(cache: BoundsCache, builds: list[str] | None = None, scale: float = 1.0) -> Searcher:
    costs, names = drawn(ISLAND)
    costs.walk_s_per_m = costs.walk_s_per_m * scale
    return Searcher(costs, {"island": names["I"], "shore": names["B"]}, cache=cache,
                    on_build=None if builds is None else lambda: builds.append("built"))


def _answer(searcher: Searcher) -> list[tuple[str, float, float]]:
    costs, names = drawn(ISLAND)
    return [(r.key, r.time_s, r.chakra) for r in searcher.search(names["S"], 2.0)]


def test_bounds_built_once_are_read_back_by_the_next_searcher(tmp_path: Path) -> None:
    cache, builds = BoundsCache(tmp_path / "cache"), []
    first = _searcher(cache, builds)
    assert cache.last == "built" and builds == ["built"] and len(list((tmp_path / "cache").glob("*.bounds"))) == 1
    second = _searcher(cache, builds)
    assert cache.last == "read" and builds == ["built"]  # not built again, and not announced
    for mine, theirs in zip(first.bounds, second.bounds, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert _answer(second) == _answer(first) == _answer(Searcher(*_plain()))


def test_large_arrays_are_mapped_from_the_file_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = BoundsCache(tmp_path)
    expected = _answer(_searcher(cache))
    monkeypatch.setattr("refuge.terrain.bounds_cache.MAPPED_FROM", 0)  # every array, however small
    mapped = _searcher(cache)
    priced = mapped.bounds[0]
    assert cache.last == "read" and type(priced) is np.ndarray and isinstance(priced.base, np.memmap)
    assert priced.flags.writeable
    assert _answer(mapped) == expected


def _plain():  # type: ignore[no-untyped-def]
    costs, names = drawn(ISLAND)
    return costs, {"island": names["I"], "shore": names["B"]}


def test_other_travel_costs_get_bounds_of_their_own(tmp_path: Path) -> None:
    cache = BoundsCache(tmp_path)
    _searcher(cache)
    slower = _searcher(cache, scale=2.0)
    assert cache.last == "built" and len(list(tmp_path.glob("*.bounds"))) == 2
    walk_only, slow_walk_only = _searcher(cache).bounds[2], slower.bounds[2]
    on_land = np.isfinite(walk_only) & (walk_only > 0)
    np.testing.assert_allclose(slow_walk_only[on_land], 2 * walk_only[on_land])  # walking takes twice as long


def test_a_damaged_file_is_built_again_and_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = BoundsCache(tmp_path)
    expected = _answer(_searcher(cache))
    (stored,) = tmp_path.glob("*.bounds")
    part = stored / "priced.npy"
    part.write_bytes(part.read_bytes()[:200])  # cut short, as by a full disk
    with caplog.at_level(logging.WARNING):
        searcher = _searcher(cache)
    assert cache.last == "built" and "cannot be used" in caplog.text and str(stored) in caplog.text
    assert _answer(searcher) == expected
    _searcher(cache)
    assert cache.last == "read"


def test_a_file_holding_another_key_is_not_trusted(tmp_path: Path) -> None:
    cache = BoundsCache(tmp_path)
    _searcher(cache)
    _searcher(cache, scale=2.0)
    first, second = sorted(tmp_path.glob("*.bounds"), key=lambda p: p.stat().st_mtime)
    shutil.rmtree(first)
    shutil.copytree(second, first)  # the other map's bounds under this map's name
    searcher = _searcher(cache)
    assert cache.last == "built" and _answer(searcher) == _answer(Searcher(*_plain()))


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    cache = BoundsCache(blocked / "cache")
    with caplog.at_level(logging.WARNING):
        searcher = _searcher(cache)
    assert cache.last == "built, not stored" and "cannot store bounds" in caplog.text
    assert _answer(searcher) == _answer(Searcher(*_plain()))


def test_the_least_recently_used_files_go_when_the_cache_is_full(tmp_path: Path) -> None:
    cache = BoundsCache(tmp_path)
    _searcher(cache)
    (one,) = tmp_path.glob("*.bounds")
    cache.max_bytes = sum(part.stat().st_size for part in one.iterdir()) + 1  # room for one set
    (tmp_path / f"{'0' * 64}.npz").write_bytes(b"bounds of an earlier version")
    abandoned, recent = tmp_path / ".0123-dead.tmp", tmp_path / ".4567-writing.tmp"
    for left in (abandoned, recent):
        left.mkdir()
        (left / "priced.npy").write_bytes(b"half written")
    os.utime(abandoned, (0, 0))  # its writer died long ago; the other may still be writing
    _searcher(cache, scale=2.0)
    (kept,) = tmp_path.glob("*.bounds")
    assert kept != one and not any(tmp_path.glob("*.npz"))
    assert not abandoned.exists() and recent.exists()
    _searcher(cache, scale=2.0)
    assert cache.last == "read" and list(tmp_path.glob("*.tmp")) == [recent] and not any(tmp_path.glob("*.old"))


def test_the_key_changes_with_the_program_and_with_any_array_s_values_type_or_shape() -> None:
    from types import ModuleType

    from refuge.terrain import search_kernel
    from refuge.terrain.bounds_cache import bounds_key, source_text

    grid = np.zeros((2, 3))
    keys = {bounds_key(parts) for parts in (
        ["program 1", grid], ["program 2", grid], ["program 1", grid.astype(np.float32)],
        ["program 1", grid.reshape(3, 2)], ["program 1", grid + np.eye(2, 3) * 1e-9])}
    assert len(keys) == 5 and bounds_key(["program 1", grid]) in keys
    assert "def move_units" in source_text(search_kernel)
    assert source_text(ModuleType("built_elsewhere")).startswith("built_elsewhere ")  # no source: the version
