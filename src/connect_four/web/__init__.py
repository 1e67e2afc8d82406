"""The web client: an ASGI app with a JSON API, live feeds and plain pages.

`create_app(app, store)` builds it; `connect-four serve` runs it with uvicorn.
"""

from connect_four.web.app import create_app

__all__ = ["create_app"]
