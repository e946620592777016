"""The JSON shapes of field navigation, shared by the API and the CLI's `--json`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from refuge.api.schemas import Quantity
from refuge.services.matrix import TravelMatrix
from refuge.services.navigation import Destination, Leg, Nearest, Route, Viewer
from refuge.services.terrain import TerrainSummary


class ViewerOut(BaseModel):
    person: str | None
    clearance: int
    profile: str
    chakra: float = Field(description="the chakra budget the routes were found within")

    @classmethod
    def of(cls, viewer: Viewer) -> ViewerOut:
        return cls(person=viewer.person.handle if viewer.person else None, clearance=viewer.clearance,
                   profile=viewer.profile, chakra=viewer.chakra)


class HeldOut(BaseModel):
    sku: str
    name: str
    quantity: Quantity


class LegOut(BaseModel):
    distance_m: float
    time_s: float
    time_min: float
    chakra: float = Field(description="chakra the route spends (running, water-walking)")
    bearing_deg: float = Field(description="straight-line bearing from the start, 0 = north, clockwise")
    route: list[tuple[float, float]] = Field(description="the turning points of the route, x/y in metres")
    run_fraction: float = Field(description="share of the moves made running")

    @classmethod
    def of(cls, leg: Leg) -> LegOut:
        runs = sum(mode == "run" for mode in leg.modes)
        return cls(distance_m=round(leg.distance_m, 1), time_s=round(leg.time_s, 1), time_min=round(leg.time_s / 60, 1),
                   chakra=leg.chakra, bearing_deg=round(leg.bearing_deg, 1), route=[(round(x), round(y)) for x, y in leg.route],
                   run_fraction=round(runs / len(leg.modes), 3) if leg.modes else 0.0)


class DestinationOut(LegOut):
    code: str
    name: str
    x: float
    y: float
    gridref: str
    holds: dict[str, list[HeldOut]] = Field(description="usable stock of each need, from the ledger")

    @classmethod
    def of_destination(cls, destination: Destination) -> DestinationOut:
        shelter = destination.shelter
        return cls(code=shelter.code, name=shelter.name, x=shelter.x, y=shelter.y, gridref=destination.gridref,
                   holds={need: [HeldOut(sku=sku, name=name, quantity=q) for sku, name, q in rows]
                          for need, rows in destination.holds.items()},
                   **LegOut.of(destination.leg).model_dump())


class NearestOut(BaseModel):
    x: float
    y: float
    gridref: str
    needs: list[str]
    viewer: ViewerOut
    shelters: list[DestinationOut] = Field(description="reachable within the chakra budget, fastest first")
    complete: bool = Field(description="false when the search gave up early: the shelters listed are exact, "
                                       "but a slower one within the budget may be missing")
    on_water: str | None = Field(description="the land class at the position when it is water (only water-walking, "
                                             "which costs chakra, crosses it), else null")

    @classmethod
    def of(cls, nearest: Nearest) -> NearestOut:
        return cls(x=nearest.x, y=nearest.y, gridref=nearest.gridref, needs=nearest.needs,
                   viewer=ViewerOut.of(nearest.viewer),
                   shelters=[DestinationOut.of_destination(d) for d in nearest.destinations],
                   complete=nearest.complete, on_water=nearest.on_water)


class WaypointOut(BaseModel):
    gridref: str
    x: float
    y: float
    bearing_deg: float = Field(description="from the waypoint before, 0 = north, clockwise (0 for the start)")
    distance_m: float = Field(description="straight from the waypoint before (0 for the start)")


class RouteOut(LegOut):
    origin: str
    goal: str
    start: tuple[float, float]
    end: tuple[float, float]
    start_gridref: str
    end_gridref: str
    viewer: ViewerOut
    complete: bool = Field(description="false when the search gave up: the route then spends no chakra, and a "
                                       "faster one spending chakra may exist")
    way: list[WaypointOut] = Field(description="the route in a few straight stretches to follow by compass, none "
                                               "further than 250 m from it: the start, then where each ends")
    warnings: list[str] = Field(description="what to know of the ends: a shelter that is closed or compromised")

    @classmethod
    def of_route(cls, route: Route) -> RouteOut:
        way = [WaypointOut(gridref=w.gridref, x=round(w.x), y=round(w.y), bearing_deg=round(w.bearing_deg, 1),
                           distance_m=round(w.distance_m, 1)) for w in route.way]
        return cls(origin=route.origin, goal=route.goal, start=route.start, end=route.end,
                   start_gridref=route.start_gridref, end_gridref=route.end_gridref,
                   viewer=ViewerOut.of(route.viewer), complete=route.complete, way=way, warnings=route.warnings,
                   **LegOut.of(route.leg).model_dump())


class MatrixPointOut(BaseModel):
    key: str = Field(description="a shelter's code or a base's name")
    kind: str = Field(description="shelter or base")
    name: str
    x: float
    y: float


class MatrixOut(BaseModel):
    profile: str
    chakra: float = Field(description="the chakra budget of each leg")
    points: list[MatrixPointOut]
    time_s: list[list[float | None]] = Field(description="time_s[i][j]: fastest time from points[i] to points[j]; "
                                                         "null where no route fits the chakra budget")
    distance_m: list[list[float | None]]
    chakra_used: list[list[float | None]]
    terrain_digest: str
    built_at: str
    build_seconds: float = Field(description="how long the build took (when it was built, if cached)")
    cached: bool = Field(description="read from the database's cache rather than built for this request")
    complete: bool = Field(description="false when some searches gave up at their cap: those pairs hold the "
                                       "fastest route spending no chakra (or none), and a faster one may exist")

    @classmethod
    def of(cls, matrix: TravelMatrix) -> MatrixOut:
        return cls(profile=matrix.profile, chakra=matrix.chakra,
                   points=[MatrixPointOut(key=p.key, kind=p.kind, name=p.name, x=p.x, y=p.y) for p in matrix.points],
                   time_s=matrix.seconds, distance_m=matrix.distance_m, chakra_used=matrix.chakra_used,
                   terrain_digest=matrix.terrain_digest, built_at=matrix.built_at.isoformat(),
                   build_seconds=matrix.build_seconds, cached=matrix.cached, complete=matrix.complete)


class LandClassOut(BaseModel):
    id: int
    name: str
    color: str
    water: bool
    cells: int
    share: float


class MisplacedOut(BaseModel):
    key: str = Field(description="a shelter's code or a place's name")
    problem: str


class TerrainOut(BaseModel):
    source: str
    digest: str
    rows: int
    cols: int
    cell_size: float
    x0: float
    y0: float
    classes: list[LandClassOut]
    profiles: list[str]
    misplaced: list[MisplacedOut] = Field(description="shelters and places off the map or on ground nobody walks")

    @classmethod
    def of(cls, summary: TerrainSummary) -> TerrainOut:
        return cls(source=summary.source, digest=summary.digest, rows=summary.rows, cols=summary.cols,
                   cell_size=summary.cell_size, x0=summary.x0, y0=summary.y0,
                   classes=[LandClassOut(id=c.id, name=c.name, color=c.color, water=c.water, cells=c.cells,
                                         share=round(c.share, 6)) for c in summary.classes],
                   profiles=summary.profiles,
                   misplaced=[MisplacedOut(key=key, problem=why) for key, why in summary.misplaced])
