"""Maps: the desk's rendered map (PNG/SVG) and the holder's printed field map (PDF)."""

from refuge.maps.printed import print_field_map
from refuge.maps.render import render_map

__all__ = ["print_field_map", "render_map"]
