"""Terrain commands: import a land-cover raster of the network's own, and describe the one in use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from refuge.cli.context import ready
from refuge.cli.options import Json, _argument, _option
from refuge.cli.output import print_json, say, show, table

Raster = Annotated[Path, _argument("RASTER", "A land-cover GeoTIFF (.tif), or a PNG with a world file.")]
Classes = Annotated[Path, _option("--classes", "FILE", "The class table: CSV (id,name,color,water) or TOML.")]
World = Annotated[Path | None, _option("--world", "FILE", "The PNG's world file (default: the .pgw/.pngw/.wld beside it).")]
Travel = Annotated[Path | None, _option("--travel", "FILE.toml", "The travel model for these classes "
                                        "(default: the current one, or the bundled one, if it covers them).")]

app = typer.Typer(no_args_is_help=True, help="The network's land-cover map.")


@app.command("import")
def import_(ctx: typer.Context, raster: Raster, classes: Classes, world: World = None, travel: Travel = None,
            as_json: Json = False) -> None:
    """Replace the network's terrain with a land-cover raster of its own (cached travel times are dropped)."""
    from refuge.services.terrain import import_terrain

    _report(import_terrain(ready(ctx), raster, classes, world, travel), as_json, "imported")


@app.command("show")
def show_(ctx: typer.Context, as_json: Json = False) -> None:
    """Describe the network's terrain: size, cell size, land classes and their shares, travel profiles."""
    from refuge.services.terrain import describe

    _report(describe(ready(ctx)), as_json, "terrain")


def _report(summary, as_json: bool, verb: str) -> None:  # type: ignore[no-untyped-def]
    from refuge.api.field_schemas import TerrainOut

    if as_json:
        return print_json(TerrainOut.of(summary))
    say(f"{verb}: {summary.source}, {summary.cols:,} × {summary.rows:,} cells of {summary.cell_size:g} m "
        f"({summary.cols * summary.cell_size / 1000:g} × {summary.rows * summary.cell_size / 1000:g} km, "
        f"south-west corner {summary.x0:g},{summary.y0:g}); profiles: {', '.join(summary.profiles)}")
    show(table(None, ["id", "class", "water", "share"],
               [[c.id, c.name, "yes" if c.water else "", f"{100 * c.share:.1f}%"] for c in summary.classes]))
    for key, why in summary.misplaced:
        say(f"warning: {key} is {why}")
