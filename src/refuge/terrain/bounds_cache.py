"""A cache on disk of the route search's bounds, so that they are built once per map, not per question.

A `Searcher`'s bounds (a few dozen Dijkstras over the whole grid: about two minutes on the Land of Fire) depend
only on the travel costs of every cell, the target cells, the searcher's options and the code that
computes them. Each set is kept in one directory named by a SHA-256 of all of these (the code by its
source text), so that a changed map, travel model, shelter or program never reads a stale set: a `.npy`
file per array, mapped into memory when read (copy on write), so that a question reads from disk only
the cells its search visits instead of the whole set (1.2 GB for the running profile over the Land of
Fire's shelters). A set is written under a temporary name and renamed into place (a reader never sees
half of one); one that cannot be read or does not hold what its name promises is built again. The least
recently used sets go once the cache holds more than `max_bytes` (the single `.npz` files of earlier
versions, which nothing reads any more, go first). A cache that cannot be written to only costs time:
the search builds its bounds as it would without one, and the problem is logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: The bounds tuple's parts, in order (see `Searcher._bounds`).
PARTS = ("priced", "prices", "walk_only", "least_move_units", "units", "paces", "list_costs", "list_sources",
         "listed", "residue_prices", "moduli", "residue_paces", "residue_lists", "residue_columns", "excess_index",
         "excess_table", "shallow_limit", "shallow_prices", "shallow_costs", "shallow_sources",
         "shallow_apart", "source_free", "source_units")
SUFFIX = ".bounds"  # a directory of .npy files
LEGACY_SUFFIX = ".npz"  # one file per set, read whole: no longer read, removed when the cache is trimmed
#: Arrays of fewer bytes are read whole rather than mapped.
MAPPED_FROM = 1 << 16
#: A temporary set this much older than now was left by a writer that died: removed when the cache is trimmed.
ABANDONED_AFTER_S = 3600.0
#: Two profiles over every shelter of the Land of Fire and a few single-goal route searches fit.
MAX_BYTES = 4_000_000_000


def bounds_key(parts: Iterable[object]) -> str:
    """A SHA-256 over arrays (their dtype, shape and bytes) and plain values (their repr)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(f"{part.dtype.str}{part.shape}".encode())
            digest.update(np.ascontiguousarray(part).tobytes())
        else:
            digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def source_text(*modules: object) -> str:
    """The source of the modules that compute the bounds, so that a changed program makes new keys (where
    a module's source cannot be read, the program's version stands for it)."""
    from refuge import __version__

    parts = []
    for module in modules:
        try:
            parts.append(Path(getattr(module, "__file__", None)).read_text(encoding="utf-8"))  # type: ignore[arg-type]
        except (OSError, TypeError):
            parts.append(f"{getattr(module, '__name__', module)} {__version__}")
    return "".join(parts)


class BoundsCache:
    """Bounds kept in `directory` (made when first written to), at most `max_bytes` of them."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> None:
        self.directory = Path(directory).expanduser()
        self.max_bytes = max_bytes
        #: What the last `bounds` call did: "read", "built" (and stored) or "built, not stored".
        self.last = ""

    def bounds(self, key: str, build: Callable[[], tuple], cells: int) -> tuple:
        """The bounds stored under `key` for a grid of `cells` cells, else `build()`'s, stored for next time."""
        path = self.directory / f"{key}{SUFFIX}"
        found = self._read(path, key, cells)
        if found is not None:
            self.last = "read"
            return found
        made = build()
        self.last = "built" if self._write(path, key, made) else "built, not stored"
        return made

    def _read(self, path: Path, key: str, cells: int) -> tuple | None:
        if not path.is_dir():
            return None
        try:
            if str(np.load(path / "key.npy", allow_pickle=False)) != key:
                raise ValueError("it holds the bounds of another key")
            parts = {name: _mapped(path / f"{name}.npy") for name in PARTS}
            if not (parts["priced"].shape[0] == parts["walk_only"].shape[0] == parts["units"].shape[0]
                    == parts["list_costs"].shape[0] == parts["list_sources"].shape[0]
                    == parts["excess_index"].shape[0] == parts["shallow_costs"].shape[0]
                    == parts["shallow_sources"].shape[0] == parts["shallow_apart"].shape[0]
                    == parts["source_free"].shape[0] == parts["source_units"].shape[0] == cells):
                raise ValueError(f"its arrays are not of a grid of {cells} cells")
        except (OSError, ValueError, EOFError) as error:
            log.warning("route search bounds cache: %s cannot be used (%s); building them again", path, error)
            return None
        os.utime(path)  # recently used: the last to go
        whole = {name: int(parts.pop(name)) for name in ("least_move_units", "shallow_limit")}
        return tuple(whole[name] if name in whole else parts[name] for name in PARTS)

    def _write(self, path: Path, key: str, bounds: tuple) -> bool:
        arrays = {name: np.asarray(value) for name, value in zip(PARTS, bounds, strict=True)}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=self.directory))
            try:
                for name, array in arrays.items():
                    np.save(temporary / f"{name}.npy", array, allow_pickle=False)
                np.save(temporary / "key.npy", np.array(key), allow_pickle=False)
                if path.exists():  # a damaged set, or one another process stored meanwhile: ours replaces it
                    _remove(path.rename(temporary.with_name(temporary.name + ".old")))
                temporary.rename(path)
            except BaseException:
                _remove(temporary)
                raise
            self._trim(keep=path)
        except OSError as error:
            log.warning("route search bounds cache: cannot store bounds in %s (%s); they are built for each "
                        "new searcher instead", self.directory, error)
            return False
        return True

    def _trim(self, keep: Path) -> None:
        """Drop the least recently used sets until the rest fit in `max_bytes` (never the one just written);
        first the files of earlier versions, and what writers that died left half written."""
        for legacy in self.directory.glob(f"*{LEGACY_SUFFIX}"):
            legacy.unlink(missing_ok=True)
        for left in [*self.directory.glob(".*.tmp"), *self.directory.glob(".*.old")]:
            if time.time() - _mtime(left) > ABANDONED_AFTER_S:
                _remove(left)
        found = sorted(((_mtime(entry), _size(entry), entry) for entry in self.directory.glob(f"*{SUFFIX}")),
                       key=lambda entry: entry[0])
        total = sum(size for _, size, _ in found)
        for _, size, entry in found:
            if total <= self.max_bytes:
                break
            if entry != keep:
                _remove(entry)
                total -= size


def _mapped(path: Path) -> np.ndarray:
    """The array in a `.npy` file, mapped copy-on-write (writeable, and seen as a plain array, so that the
    compiled search takes it as any other), or read whole when small."""
    if path.stat().st_size < MAPPED_FROM:
        return np.load(path, allow_pickle=False)
    return np.load(path, mmap_mode="c", allow_pickle=False).view(np.ndarray)


# Another process may remove a set while this one looks at the directory: what is gone counts as nothing.
def _mtime(entry: Path) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:
        return 0.0


def _size(entry: Path) -> int:
    try:
        return sum(part.stat().st_size for part in entry.iterdir()) if entry.is_dir() else entry.stat().st_size
    except OSError:
        return 0


def _remove(entry: Path) -> None:
    if entry.is_dir():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)
