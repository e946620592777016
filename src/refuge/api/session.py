"""Signing in and out in JSON, the twins of the web app's sign-in form: a session in a cookie, and who you are."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from refuge.api.auth import Me, clear_session_cookie, set_session_cookie, token_of
from refuge.api.deps import Db, refusals, settings
from refuge.config import Settings
from refuge.domain.access import PERMISSIONS, Principal
from refuge.services.access import sign_in, sign_out

router = APIRouter()


class SignInIn(BaseModel):
    handle: str = Field(description="your handle (such as `iruka`) or your full name")
    password: str


class MeOut(BaseModel):
    handle: str
    name: str
    role: str
    clearance: int = Field(description="shelters and missions classified above this do not exist for you")
    permissions: list[str] = Field(description="the kinds of work your role may do (see docs/access.md)")
    expires_at: datetime | None = Field(None, description="when this session ends; null for an API token")

    @classmethod
    def of(cls, principal: Principal, expires_at: datetime | None = None) -> MeOut:
        return cls(handle=principal.handle, name=principal.name, role=principal.role.value,
                   clearance=principal.clearance, permissions=sorted(p.value for p in PERMISSIONS[principal.role]),
                   expires_at=expires_at)


@router.post("/session", response_model=MeOut, summary="Sign in", responses=refusals(401, 422, signed_in=False),
             description="Check a handle and password, open a session and set it in the `refuge_session` "
                         "cookie (HTTP-only, SameSite=Lax); answers who you are. A wrong handle and a wrong "
                         "password are refused alike (401).")
def post_session(body: SignInIn, request: Request, response: Response, db: Db,
                 config: Settings = Depends(settings)) -> MeOut:
    issued = sign_in(db, body.handle, body.password, config.session_hours)
    set_session_cookie(response, issued.token, issued.expires_at, secure=request.url.scheme == "https")
    return MeOut.of(issued.principal, issued.expires_at)


@router.delete("/session", status_code=204, summary="Sign out", responses=refusals(401, signed_in=False),
               description="End the session (or revoke the API token) the request was made with, and clear the cookie.")
def delete_session(request: Request, _who: Me, db: Db) -> Response:
    token = token_of(request)
    if token is not None:
        sign_out(db, token)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.get("/me", response_model=MeOut, summary="Who you are", responses=refusals(401, signed_in=False),
            description="The signed-in person: handle, name, role, clearance and what the role may do.")
def get_me(who: Me) -> MeOut:
    return MeOut.of(who)
