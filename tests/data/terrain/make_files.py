"""Writes the tiny land-cover files beside it. Run from anywhere: `python tests/data/terrain/make_files.py`."""

from pathlib import Path

import numpy as np
import tifffile
from PIL import Image

HERE = Path(__file__).parent
# A valley 8 cells wide and 6 high: grassland (0), forest (1), a river (2) running north-south and a
# road (3) crossing it on a bridge in row 3.
VALLEY = np.array([
    [1, 1, 0, 2, 0, 0, 1, 1],
    [1, 0, 0, 2, 0, 0, 0, 1],
    [0, 0, 0, 2, 2, 0, 0, 0],
    [3, 3, 3, 3, 3, 3, 3, 3],
    [0, 0, 0, 0, 2, 0, 1, 1],
    [0, 0, 0, 0, 2, 0, 1, 1],
], dtype=np.uint8)
WEST, NORTH, CELL = 500_000.0, 4_200_000.0, 25.0


def main() -> None:
    tifffile.imwrite(HERE / "valley.tif", VALLEY, extratags=[
        (33550, "d", 3, (CELL, CELL, 0.0), True),
        (33922, "d", 6, (0.0, 0.0, 0.0, WEST, NORTH, 0.0), True),
        (34735, "H", 8, (1, 1, 0, 1, 1025, 0, 1, 1), True),  # GTRasterTypeGeoKey = PixelIsArea
    ])
    image = Image.fromarray(VALLEY, mode="L").convert("P")
    image.putpalette([200, 220, 160, 80, 140, 60, 70, 140, 220, 140, 90, 40])
    image.save(HERE / "valley.png")
    # A world file names the centre of the top-left cell.
    (HERE / "valley.pgw").write_text(f"{CELL}\n0.0\n0.0\n{-CELL}\n{WEST + CELL / 2}\n{NORTH - CELL / 2}\n")


if __name__ == "__main__":
    main()
