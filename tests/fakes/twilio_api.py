"""A fake Twilio Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json): records every
message and answers like Twilio, including its refusals (wrong credentials, wrong sender,
no body or media, a body over 1600 characters)."""

import base64
import itertools
from typing import Any, Dict, List

from aiohttp import web

from tests.fakes.server import FakeServer

MAX_BODY = 1600


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {
            "code": code,
            "message": message,
            "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
        },
        status=status,
    )


class FakeTwilio(FakeServer):
    def __init__(self, account_sid: str, auth_token: str, number: str) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.number = number
        self._sids = itertools.count(1)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.create_message)
        return app

    async def create_message(self, request: web.Request) -> web.Response:
        form = await request.post()
        message = {
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "media_urls": form.getall("MediaUrl", []),
        }
        expected = (
            "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        )
        if (
            request.match_info["sid"] != self.account_sid
            or request.headers.get("Authorization") != expected
        ):
            self.record(status=401, **message)
            return _error(401, 20003, "Authenticate")
        status, problem = 201, None
        if not message["to"]:
            status, problem = 400, (21604, "A 'To' phone number is required.")
        elif message["from"] != self.number:
            status, problem = (
                400,
                (
                    21606,
                    "The 'From' phone number provided is not a valid "
                    "message-capable Twilio phone number for this "
                    "destination/account",
                ),
            )
        elif message["from"].startswith("whatsapp:") != message["to"].startswith("whatsapp:"):
            status, problem = (
                400,
                (21910, "Invalid From and To pair. From and To should be of the same channel"),
            )
        elif not message["body"] and not message["media_urls"]:
            status, problem = 400, (21619, "A text message body or media urls must be specified.")
        elif len(message["body"] or "") > MAX_BODY:
            status, problem = (
                400,
                (21617, "The concatenated message body exceeds the 1600 character limit."),
            )
        self.record(status=status, **message)
        if problem:
            return _error(status, *problem)
        sid = f"SM{next(self._sids):032x}"
        return web.json_response(
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": message["to"],
                "from": message["from"],
                "body": message["body"] or "",
                "status": "queued",
                "num_media": str(len(message["media_urls"])),
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            },
            status=201,
        )

    def sent(self, to: str) -> List[Dict[str, Any]]:
        """Messages to this number that Twilio accepted, oldest first."""
        return [c for c in list(self.calls) if c["to"] == to and c["status"] == 201]

    def refused(self) -> List[Dict[str, Any]]:
        return [c for c in list(self.calls) if c["status"] != 201]
