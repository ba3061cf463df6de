#!/usr/bin/env python3
"""Serve the demo clinic page, the embeddable chat widget and the leg pictures.

    python web/serve_web.py --port 8000

Routes (GET and HEAD):
  /                              the demo page (public/index.html with the body map drawn in)
  /embed.js                      one-script-tag embedding loader (public/embed.js)
  /widget/...                    the widget's own script and styles (public/widget/)
  /vendor/rasa-webchat/index.js  the rasa-webchat UMD bundle, from node_modules (npm ci)
  /config.json                   defaults for the widget: {"serverUrl": RASA_PUBLIC_URL, ...}
  /maps/dermatomes.svg?highlight=L5,S1   dermatome map, chosen roots strongly filled
  /maps/dermatomes.png?highlight=S1      the same picture as PNG (for Telegram and the like)
  /maps/bodymap.svg              the clickable body map on its own
  /healthz                       "ok"

Environment: RASA_PUBLIC_URL (default http://localhost:$RASA_PORT, RASA_PORT default 5005) is
where browsers reach Rasa's socket.io channel.
"""

import argparse
import contextlib
import functools
import json
import mimetypes
import os
import re
import sys
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional, Tuple

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
WEBCHAT_BUNDLE = HERE / "node_modules" / "rasa-webchat" / "lib" / "index.js"
sys.path.insert(0, str(HERE))

import legmap  # noqa: E402  (web/ is not a package)

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


def public_settings() -> dict:
    rasa_port = os.environ.get("RASA_PORT", "5005")
    return {
        "serverUrl": os.environ.get("RASA_PUBLIC_URL") or f"http://localhost:{rasa_port}",
        "socketPath": "/socket.io/",
    }


# The bundle's styles @import the Inter font from Google Fonts on every page view. A medical
# widget should not tell a third party who opens it (and the page must work offline), so that
# import is dropped; legpain-chat.css sets a system font instead.
GOOGLE_FONTS_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")


@functools.lru_cache(maxsize=1)
def _vendor_bundle(mtime: float) -> bytes:  # noqa: ARG001 - the cache key
    return GOOGLE_FONTS_IMPORT.sub(b"", WEBCHAT_BUNDLE.read_bytes())


def vendor_bundle() -> bytes:
    return _vendor_bundle(WEBCHAT_BUNDLE.stat().st_mtime)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _twins(origin: str) -> list:
    """An origin as localhost and as 127.0.0.1 (a page may be opened either way)."""
    twins = [origin]
    for one, other in (("//localhost", "//127.0.0.1"), ("//127.0.0.1", "//localhost")):
        if one in origin:
            twins.append(origin.replace(one, other, 1))
    return twins


def security_headers() -> dict:
    """Sent with every response (README, "Limits and security"). Scripts only from this
    server (no inline script, no eval); the widget's live styles are injected by its bundle,
    hence 'unsafe-inline' for styles only; connections only to Rasa (RASA_PUBLIC_URL) over
    http(s) and ws(s); pictures from here, WEB_PUBLIC_URL or the Rasa server (the pain
    diary's chart; REPORT_PUBLIC_URL if set). FRAME_ANCESTORS (comma-separated origins,
    default 'self') lists the sites that may show the page in a frame."""
    rasa = _origin(public_settings()["serverUrl"])
    web = _origin(os.environ.get("WEB_PUBLIC_URL", ""))
    connect = [o for origin in filter(None, [rasa]) for o in _twins(origin)]
    connect += [o.replace("http", "ws", 1) for o in connect]
    # the pain diary's chart is a signed picture from the Rasa server (report/links.py)
    reports = _origin(os.environ.get("REPORT_PUBLIC_URL", "")) or rasa
    images = [o for origin in filter(None, [web, reports]) for o in _twins(origin)]
    ancestors = [
        a.strip() for a in os.environ.get("FRAME_ANCESTORS", "'self'").split(",") if a.strip()
    ] or ["'self'"]
    policy = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *images],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *connect],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ancestors,
    }
    headers = {
        "Content-Security-Policy": "; ".join(
            f"{name} {' '.join(dict.fromkeys(values))}" for name, values in policy.items()
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    legacy = {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(" ".join(ancestors))
    if legacy:  # X-Frame-Options cannot name other sites
        headers["X-Frame-Options"] = legacy
    return headers


def render_index() -> bytes:
    page = (PUBLIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("<!--BODY_MAP-->", legmap.body_map_svg())
    return page.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "LegPainWeb/1.0"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet unless failing
        if args and str(args[1]).startswith(("4", "5")) and str(args[1]) != "404":
            super().log_message(format, *args)

    # -- plumbing

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        cache: str = "no-cache",
        extra: Optional[dict] = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        # Pictures, config and scripts are fetched by pages on other sites (embed.js).
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in {**security_headers(), **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _file(self, path: Path, cache: str = "no-cache") -> None:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        textual = ("javascript", "json", "svg+xml")
        if content_type.startswith("text/") or content_type.endswith(textual):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, path.read_bytes(), content_type, cache)

    def _static(self, relative: str) -> None:
        target = (PUBLIC / relative).resolve()
        if PUBLIC not in target.parents or not target.is_file():
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        self._file(target)

    # -- routes

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = urllib.parse.parse_qs(url.query)
        try:
            if path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, render_index(), "text/html; charset=utf-8")
            elif path == "/healthz":
                self._text(HTTPStatus.OK, "ok")
            elif path == "/config.json":
                self._send(
                    HTTPStatus.OK, json.dumps(public_settings()).encode(), "application/json"
                )
            elif path == "/vendor/rasa-webchat/index.js":
                self._vendor()
            elif path.startswith("/maps/"):
                self._map(path, query)
            elif path == "/embed.js" or path.startswith("/widget/"):
                self._static(path.lstrip("/"))
            else:
                self._text(HTTPStatus.NOT_FOUND, "not found")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _vendor(self) -> None:
        if not WEBCHAT_BUNDLE.is_file():
            self._text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "rasa-webchat is not installed: run `npm ci` in web/ (make web-assets)",
            )
            return
        self._send(
            HTTPStatus.OK, vendor_bundle(), "text/javascript; charset=utf-8", "public, max-age=3600"
        )

    def _map(self, path: str, query: dict) -> None:
        highlight = legmap.parse_highlight(",".join(query.get("highlight", [])))
        if path == "/maps/dermatomes.svg":
            self._send(
                HTTPStatus.OK,
                legmap.dermatome_svg(highlight).encode("utf-8"),
                "image/svg+xml; charset=utf-8",
                "public, max-age=300",
            )
        elif path == "/maps/dermatomes.png":
            self._send(
                HTTPStatus.OK, legmap.dermatome_png(highlight), "image/png", "public, max-age=300"
            )
        elif path == "/maps/bodymap.svg":
            self._send(
                HTTPStatus.OK, legmap.body_map_svg().encode("utf-8"), "image/svg+xml; charset=utf-8"
            )
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")


def make_server(port: int, host: str = "0.0.0.0") -> Tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server, server.server_address[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8000")))
    parser.add_argument("--host", default="0.0.0.0")
    args = parser.parse_args()
    if not WEBCHAT_BUNDLE.is_file():
        print(
            "serve_web: warning: web/node_modules is missing; run `npm ci` in web/ "
            "(the chat widget will not load)",
            file=sys.stderr,
        )
    server, port = make_server(args.port, args.host)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
