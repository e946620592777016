"""The JSON routes of field navigation: the nearest usable shelter, a route, the travel-time matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from refuge.api.field_schemas import MatrixOut, NearestOut, RouteOut, TerrainOut
from refuge.api.auth import Navigating, Reader
from refuge.api.deps import Db, refusals
from refuge.domain.access import Principal
from refuge.services.navigation import Navigator

router = APIRouter()


def navigator(request: Request, db: Db) -> Navigator:
    """The app's navigator: it keeps the terrain's cost grids and searchers warm between requests."""
    return request.app.state.navigator


Nav = Annotated[Navigator, Depends(navigator)]
Chakra = Annotated[float | None, Query(description="chakra budget (default: the person's maximum, else 0)")]
Profile = Annotated[str | None, Query(description="walking, running or injured (default from the person's condition)")]
AsPerson = Annotated[str | None, Query(alias="as", description="ask for a person (you, or another): their profile, "
                                                                "chakra and clearance, never beyond yours; default: "
                                                                "a walker with no chakra, at your clearance")]


@router.get("/nearest", response_model=NearestOut, summary="Nearest usable shelters", responses=refusals(404, 422),
            description="The shelters the person may know of and can reach from `at` within their chakra, "
                        "fastest first, holding something usable of every need, each with distance, time, "
                        "chakra used, bearing and route. The route search is exact on the terrain grid.")
def nearest(nav: Nav, at: Annotated[str, Query(description="X,Y in metres, or a grid reference such as F4 2375")],
            need: Annotated[str | None, Query(description="comma-separated categories, e.g. first-aid,food")] = None,
            chakra: Chakra = None, profile: Profile = None, as_person: AsPerson = None,
            limit: Annotated[int, Query(ge=1, le=100)] = 5, *, who: Navigating) -> NearestOut:
    needs = [part for part in (need or "").split(",") if part.strip()]
    return NearestOut.of(nav.nearest(at, needs, chakra, profile, _asked(who, as_person), limit,
                                     clearance=who.clearance))


@router.get("/route", response_model=RouteOut, summary="A route", responses=refusals(404, 422),
            description="The fastest route within the chakra budget between two shelters (codes), places "
                        "(names) or positions (X,Y or grid references) the person may know of.")
def route(nav: Nav, origin: Annotated[str, Query(alias="from")], goal: Annotated[str, Query(alias="to")],
          chakra: Chakra = None, profile: Profile = None, as_person: AsPerson = None, *, who: Navigating) -> RouteOut:
    return RouteOut.of_route(nav.route(origin, goal, chakra, profile, _asked(who, as_person), who.clearance))


@router.get("/matrix", response_model=MatrixOut, summary="Travel-time matrix", responses=refusals(404, 422),
            description="Travel times between every base and active shelter the person may know of, for a "
                        "profile (default walking) and a chakra budget per leg (default 0), from the "
                        "database's cache when the terrain and the shelters are unchanged.")
def matrix(nav: Nav, profile: Annotated[str | None, Query(description="walking, running or injured")] = None,
           chakra: Annotated[float | None, Query(description="chakra budget of each leg (default 0)")] = None,
           as_person: AsPerson = None, *, who: Navigating) -> MatrixOut:
    return MatrixOut.of(nav.matrix(profile, chakra, _asked(who, as_person), clearance=who.clearance))


def _asked(who: Principal, as_person: str | None) -> str | None:
    """The person a question is asked for, if one is named (someone else needs the roster permission)."""
    return who.asking_as(as_person) if as_person and as_person.strip() else None


@router.get("/terrain", response_model=TerrainOut, summary="The terrain", responses=refusals(422),
            description="The network's land-cover map: size, cell size, land classes and their shares, travel "
                        "profiles, and any shelter or place off the map or on ground nobody walks.")
def terrain(db: Db, who: Reader) -> TerrainOut:
    from refuge.services.terrain import describe

    return TerrainOut.of(describe(db, who.clearance))
