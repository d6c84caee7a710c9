"""A tiny client for the portal's API, standard library only, shared by the API benchmarks.

It signs up a throw-away account through the sign-up page (as a person would), then makes an API
key with that session (POST /api/v1/tokens/ with the CSRF header) and uses only the key after that.
"""

import http.client
import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
import uuid
from typing import Any


class ApiClient:
    def __init__(self, base_url: str, key: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    # --- a throw-away account and its key ---------------------------------------------------
    def sign_up_and_make_key(self) -> str:
        page = self._get_page("/compte/inscription/")
        password = uuid.uuid4().hex
        self._post_form(
            "/compte/inscription/",
            page,
            {
                "email": f"bench-{uuid.uuid4().hex[:10]}@example.org",
                "display_name": "Bench",
                "password1": password,
                "password2": password,
            },
        )
        csrf = next((c.value for c in self.cookies if c.name == "csrftoken"), None)
        if not csrf:
            raise RuntimeError("no CSRF cookie after signing up")
        status, body = self.request(
            "POST",
            "/api/v1/tokens/",
            {"name": "benchmark"},
            headers={"X-CSRFToken": csrf, "Referer": self.base_url + "/"},
            use_key=False,
        )
        if status != 201:
            raise RuntimeError(f"could not make an API key: {status} {body}")
        self.key = body["key"]
        return self.key

    def _get_page(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return str(response.read().decode())

    def _post_form(self, path: str, page: str, fields: dict[str, str]) -> None:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Referer": self.base_url + path}
        )
        with self.opener.open(request, timeout=30):
            pass

    # --- API calls ----------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        use_key: bool = True,
    ) -> tuple[int, Any]:
        all_headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            all_headers["Content-Type"] = "application/json"
        if use_key and self.key:
            all_headers["Authorization"] = f"Bearer {self.key}"
        return self._send(method, path, data, all_headers)

    def upload(self, path: str, field: str, filename: str, content: bytes) -> tuple[int, Any]:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Accept": "application/json",
            "Authorization": f"Bearer {self.key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        return self._send("POST", path, body, headers)

    def download(self, path: str) -> bytes:
        request = urllib.request.Request(
            self.base_url + path, headers={"Authorization": f"Bearer {self.key}"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            return bytes(response.read())

    def _send(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str]
    ) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        return status, json.loads(raw) if raw else None


def keep_alive_connection(base_url: str) -> http.client.HTTPConnection:
    parsed = urllib.parse.urlparse(base_url)
    return http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=30)
