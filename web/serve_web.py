#!/usr/bin/env python3
"""Serve the demo page and the widget's files from web/ (placeholder until the widget lands)."""
import argparse
import functools
import http.server
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "public"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    ROOT.mkdir(exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT))
    with http.server.ThreadingHTTPServer(("0.0.0.0", args.port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
