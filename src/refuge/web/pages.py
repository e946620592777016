"""How pages refuse: nobody signed in is sent to the sign-in page; a RefugeError becomes an error page
(or an error fragment for HTMX) with the API's status."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from refuge.api.errors import status_of
from refuge.domain.errors import RefugeError
from refuge.web.templating import VendorMissing, page
from refuge.web.viewer import SignInNeeded


class PageRoute(APIRoute):
    """A page route: refusals render the error page, never JSON and never a traceback."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeeded as needed:
                # HTMX follows HX-Redirect with a whole page; a plain request follows the 303.
                if request.headers.get("HX-Request"):
                    return Response(status_code=204, headers={"HX-Redirect": needed.target})
                return Response(status_code=303, headers={"Location": needed.target})
            except VendorMissing as error:  # no page can be drawn without them: say so in plain text
                return Response(str(error), status_code=503, media_type="text/plain")
            except RefugeError as error:
                # An HTMX request swaps the answer into part of a page: it gets the message alone.
                template = "_error.html" if request.headers.get("HX-Request") else "error.html"
                return page(request, template, status_of(error), message=error.message, status=status_of(error))

        return answer
