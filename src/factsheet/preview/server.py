"""The preview's web side: a Starlette app served by uvicorn on 127.0.0.1 in a thread
of the warm process, while the main thread watches and builds. It serves the page and
its own two assets, the state as JSON, server-sent events that tell the page a new
state is there, page images (JPEG) by the PDF's hash and page number, and PDFs by hash. A
hash is looked up among the editions the state lists, never joined to a path, so
nothing but the project's current outputs can be served: any other address is 404."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from factsheet.preview import page
from factsheet.review.pages import PDFIUM

_SHA = re.compile(r"^[0-9a-f]{64}$")
SCALE = 2.0
"""Pixels per point of the page images: crisp on a HiDPI screen at 100 % zoom."""
CACHED_IMAGES = 96


class Hub:
    """The state the page shows, shared between the builder (main thread) and the
    server (its own thread and event loop); each change wakes every open event stream."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.state: dict[str, Any] = {"version": 0, "building": True, "editions": []}
        self._encoded: tuple[int, str] | None = None  # (version, JSON), made on demand
        self.pdfs: dict[str, Path] = {}
        self.boxes: dict[str, Any] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiters: set[asyncio.Event] = set()
        self.closing = False

    def publish(self, state: dict[str, Any], pdfs: dict[str, Path] | None = None) -> None:
        with self.lock:
            self.version += 1
            self.state = {**state, "version": self.version}
            if pdfs is not None:
                self.pdfs = dict(pdfs)
        self._wake()

    def close(self) -> None:
        self.closing = True
        self._wake()

    def _wake(self) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with self.lock:
            waiting = list(self.waiters)
        for event in waiting:
            loop.call_soon_threadsafe(event.set)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return self.state

    def latest(self) -> tuple[int, str]:
        """The version and the JSON (one line) of the current state: what `/state` and
        each event send. Encoded once per version, when first asked for, in the
        server's thread (the builder's publishes, "building" ones too, cost nothing)."""
        with self.lock:
            if self._encoded is None or self._encoded[0] != self.version:
                self._encoded = (self.version, json.dumps(self.state, separators=(",", ":")))
            return self._encoded

    def pdf_path(self, sha: str) -> Path | None:
        with self.lock:
            return self.pdfs.get(sha) if _SHA.match(sha) else None


class Images:
    """Page images by (PDF hash, page), rendered once (PDFium is not thread-safe: one
    render at a time, holding `review.pages.PDFIUM`) and kept for the most recently
    used pages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    def image(self, sha: str, number: int, pdf: Path) -> bytes | None:
        key = (sha, number)
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
            data = pdf.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha:
                return None  # rebuilt since: the page asks for the new hash
            with PDFIUM:
                rendered = render_page(data, number)
            if rendered is not None:
                self.cache[key] = rendered
                while len(self.cache) > CACHED_IMAGES:
                    self.cache.popitem(last=False)
            return rendered

    def warm(self, pages: list[tuple[str, int, Path]]) -> None:
        """Render pages ahead of the browser's request (in a thread of their own, while
        the page hears of the new state and asks for them)."""

        def run() -> None:
            for sha, number, pdf in pages:
                with contextlib.suppress(Exception):  # the request will say what failed
                    self.image(sha, number, pdf)

        threading.Thread(target=run, name="factsheet-render", daemon=True).start()


JPEG_QUALITY = 92
"""With full-resolution colour (4:4:4), text edges at 2x look as sharp as in a PNG."""


def render_page(pdf: bytes, number: int, scale: float = SCALE) -> bytes | None:
    """Page `number` (1-based) of `pdf` as JPEG bytes, or None when it has no such page
    (with threads about, call it holding `review.pages.PDFIUM`).
    JPEG because the time from a save to the picture is what the preview is for: a
    page with a photo takes Pillow about 400 ms to write as PNG, 30 ms as JPEG."""
    import io

    import pypdfium2.raw as pdfium_c

    from factsheet.review.pages import open_pdf

    document = open_pdf(pdf)
    try:
        if not 1 <= number <= len(document):
            return None
        page_ = document[number - 1]
        # Three bytes a pixel, in RGB order: what JPEG takes, with nothing to convert.
        rgb = pdfium_c.FPDFBitmap_BGR
        bitmap = page_.render(
            scale=scale, draw_annots=True, rev_byteorder=True, force_bitmap_format=rgb
        )
        image = bitmap.to_pil()
        page_.close()
    finally:
        document.close()
    if image.mode != "RGB":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


def make_app(hub: Hub, images: Images) -> Any:
    """The Starlette app: every route, and 404 for anything else."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import (
        FileResponse,
        HTMLResponse,
        Response,
        StreamingResponse,
    )
    from starlette.routing import Route

    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}

    async def index(request: Request) -> Response:
        return HTMLResponse(page.html(hub.snapshot()), headers=headers)

    async def asset(request: Request) -> Response:
        found = page.ASSETS.get(request.path_params["name"])
        if found is None:
            return Response("not found", 404)
        kind, text = found
        return Response(text, media_type=kind, headers=headers)

    async def state(request: Request) -> Response:
        return Response(hub.latest()[1], media_type="application/json", headers=headers)

    async def events(request: Request) -> Response:
        return StreamingResponse(
            _stream(hub, request), media_type="text/event-stream", headers=headers
        )

    async def image(request: Request) -> Response:
        sha, number = request.path_params["sha"], request.path_params["page"]
        pdf = hub.pdf_path(sha)
        if pdf is None or not pdf.is_file():
            return Response("not found", 404)
        jpeg = await asyncio.to_thread(images.image, sha, number, pdf)
        if jpeg is None:
            return Response("not found", 404)
        cached = {"Cache-Control": "private, max-age=31536000, immutable"}
        return Response(jpeg, media_type="image/jpeg", headers=cached)

    async def pdf(request: Request) -> Response:
        path = hub.pdf_path(request.path_params["sha"])
        if path is None or not path.is_file():
            return Response("not found", 404)
        return FileResponse(path, media_type="application/pdf", headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        yield

    routes = [
        Route("/", index),
        Route("/assets/{name:str}", asset),
        Route("/state", state),
        Route("/events", events),
        Route("/page/{sha:str}/{page:int}.jpg", image),
        Route("/pdf/{sha:str}.pdf", pdf),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _stream(hub: Hub, request: Any) -> AsyncIterator[str]:
    """`event: state` with the state itself each time it changes (the page needs no
    second request to read it); a comment every 15 s keeps proxies and the browser
    from closing an idle stream."""
    event = asyncio.Event()
    with hub.lock:
        hub.waiters.add(event)
    try:
        seen = -1
        while not hub.closing:
            version, encoded = hub.latest()
            if version != seen:
                seen = version
                yield f"event: state\ndata: {encoded}\n\n"
            try:
                await asyncio.wait_for(event.wait(), timeout=15)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": idle\n\n"
            event.clear()
    finally:
        with hub.lock:
            hub.waiters.discard(event)


class Server:
    """uvicorn in a daemon thread, on a socket bound here to 127.0.0.1."""

    def __init__(self, app: Any, port: int) -> None:
        import socket

        import uvicorn

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(128)  # from here on, a browser's request waits for the server
        self.port = int(self.socket.getsockname()[1])
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.socket.close()
