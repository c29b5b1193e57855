"""Local fakes of the messenger platforms' APIs: Telegram's Bot API, Meta's Graph API (Messenger) and Twilio's
REST API. Each is a small HTTP server on 127.0.0.1 that checks the bot's credentials as the platform does,
records every call the bot makes, and answers as the platform would. The end-to-end channel tests point
Rasa's connectors at them (TELEGRAM_API_URL, FACEBOOK_API_URL, TWILIO_API_URL) and read what the bot sent.

Also here: how each platform signs the webhooks it sends, so a test posts exactly what the platform posts.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    """One request the bot made to the platform."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict = field(default_factory=dict)  # JSON, or the form's fields


class FakePlatform:
    """An HTTP server on a free port of 127.0.0.1 in a thread; `calls` is what it received, in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Condition()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's names)
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                call = Call(method, parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                            {k.lower(): v for k, v in self.headers.items()}, _body(self.headers, raw))
                status, answer = platform.answer(call)
                if status < 400:
                    with platform._lock:
                        platform.calls.append(call)
                        platform._lock.notify_all()
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, call: Call) -> tuple[int, dict]:
        raise NotImplementedError

    def __enter__(self) -> FakePlatform:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, matches: Callable[[Call], bool], count: int = 1, timeout: float = 30) -> list[Call]:
        """The calls that match, once there are at least `count` of them (or whatever came within `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [call for call in self.calls if matches(call)]
                if len(found) >= count or time.monotonic() >= deadline:
                    return found
                self._lock.wait(timeout=max(0.0, deadline - time.monotonic()))


def _body(headers, raw: bytes) -> dict:
    content_type = headers.get("Content-Type") or ""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        return {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
    return {"raw": raw.decode(errors="replace")}


class FakeTelegram(FakePlatform):
    """api.telegram.org: POST /bot<token>/<method> with form or JSON parameters; {"ok": true, "result": …}."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self._ids = itertools.count(1000)

    def answer(self, call: Call) -> tuple[int, dict]:
        prefix, _, method = call.path.lstrip("/").partition("/")
        if prefix != f"bot{self.token}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call.body["method"] = method
        if method == "sendMessage":
            chat_id = int(call.body["chat_id"])
            return 200, {"ok": True, "result": {
                "message_id": next(self._ids), "date": int(time.time()), "text": call.body.get("text", ""),
                "chat": {"id": chat_id, "type": "private"}, "from": {"id": 1, "is_bot": True, "first_name": "Lotsen"}}}
        return 200, {"ok": True, "result": True}  # setWebhook, answerCallbackQuery, …

    def sent(self, chat_id: int | str, count: int = 1, timeout: float = 30) -> list[dict]:
        """The sendMessage parameters for one chat, once `count` have come."""
        calls = self.wait_for(lambda c: c.body.get("method") == "sendMessage" and c.body.get("chat_id") == str(chat_id),
                              count, timeout)
        return [call.body for call in calls]


class FakeGraph(FakePlatform):
    """graph.facebook.com: POST /v<version>/me/messages?access_token=… with a JSON body (Send API)."""

    def __init__(self, page_access_token: str) -> None:
        super().__init__()
        self.page_access_token = page_access_token
        self._ids = itertools.count(1)

    def answer(self, call: Call) -> tuple[int, dict]:
        if call.query.get("access_token") != self.page_access_token:
            return 400, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
        if call.method != "POST" or not call.path.endswith("/me/messages"):
            return 404, {"error": {"message": "Unsupported request", "code": 100}}
        recipient = call.body.get("recipient", {}).get("id")
        if "sender_action" in call.body:
            return 200, {"recipient_id": recipient}
        return 200, {"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"}

    def sent(self, psid: str, count: int = 1, timeout: float = 30) -> list[dict]:
        """The messages (Send API `message` objects) sent to one user, once `count` have come."""
        calls = self.wait_for(lambda c: "message" in c.body and c.body["recipient"]["id"] == psid, count, timeout)
        return [call.body["message"] for call in calls]

    def actions(self, psid: str) -> list[str]:
        return [c.body["sender_action"] for c in self.calls
                if "sender_action" in c.body and c.body["recipient"]["id"] == psid]


class FakeTwilio(FakePlatform):
    """api.twilio.com: POST /2010-04-01/Accounts/<sid>/Messages.json, form-encoded, HTTP Basic auth (sid, token)."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self._ids = itertools.count(1)

    def answer(self, call: Call) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if call.headers.get("authorization") != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if call.path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        body = call.body
        return 201, {"sid": f"SM{next(self._ids):032d}", "account_sid": self.account_sid, "to": body.get("To"),
                     "from": body.get("From"), "body": body.get("Body"), "status": "queued", "num_segments": "1",
                     "direction": "outbound-api", "api_version": "2010-04-01", "uri": call.path,
                     "date_created": formatdate(usegmt=True)}

    def sent(self, to: str, count: int = 1, timeout: float = 30) -> list[dict]:
        """The Messages.json forms (To, From, Body) sent to one number, once `count` have come."""
        return [call.body for call in self.wait_for(lambda c: c.body.get("To") == to, count, timeout)]


# How the platforms sign what they post to the bot's webhook.

def hub_signatures(app_secret: str, body: bytes) -> dict[str, str]:
    """Meta: X-Hub-Signature (HMAC-SHA1 of the raw body with the app secret) and its SHA-256 sibling."""
    key = app_secret.encode()
    return {"X-Hub-Signature": "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest(),
            "X-Hub-Signature-256": "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()}


def twilio_signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    """Twilio: base64 HMAC-SHA1, keyed with the auth token, of the URL it called followed by each form field's
    name and value, sorted by name."""
    signed = url + "".join(name + form[name] for name in sorted(form))
    return base64.b64encode(hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()).decode()
