#!/usr/bin/env python3
"""Prepares the counter benchmark against a running AnyDoor (demo data): an anonymous visitor's CSRF cookie
and token for the check-in form, and two demo staff (the counter agent and the office manager) signed in
with their TOTP keys and seated at counters 1 and 2 of the training centre (TRN). Prints shell assignments.

Usage: counter-bench-setup.py BASE_URL
"""

import base64
import hashlib
import hmac
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
PASSWORD = "demo staff passphrase"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, path, cookies, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        response = OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value:
            cookies[name] = value
        else:
            cookies.pop(name, None)
    body = response.read().decode("utf-8", "replace")
    return response.status, response.headers.get("Location"), body


def csrf(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def totp(key: bytes, step: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def staff(local, role_letters, counter):
    cookies = {}
    _, _, page = call("GET", "/staff/sign-in", cookies)
    status, location, _ = call("POST", "/staff/sign-in", cookies, {"email": f"{local}@demo.anydoor.ca", "password": PASSWORD, "csrf_token": csrf(page)})
    assert location and location.startswith("/sign-in/code"), (status, location)
    _, _, page = call("GET", "/sign-in/code", cookies)
    key = (role_letters + "A" * 32)[:32].encode()
    status, location, _ = call("POST", "/sign-in/code", cookies, {"code": totp(key, int(time.time()) // 30), "csrf_token": csrf(page)})
    assert location == "/staff", (status, location)
    _, _, page = call("GET", "/staff/offices/TRN/queue", cookies)
    token = csrf(page)
    status, _, _ = call("POST", "/staff/offices/TRN/sit", cookies, {"counter": str(counter), "csrf_token": token})
    assert status == 303, status
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), token


visitor = {}
_, _, page = call("GET", "/offices/TRN/check-in", visitor)
print(f"CHECKIN_COOKIE='{'; '.join(f'{k}={v}' for k, v in visitor.items())}'")
print(f"CHECKIN_CSRF='{urllib.parse.quote(csrf(page), safe='')}'")
for index, (local, letters) in enumerate([("counter", "COUNTERAGENT"), ("manager", "OFFICEMANAGER")], start=1):
    cookie, token = staff(local, letters, index)
    print(f"AGENT{index}_COOKIE='{cookie}'")
    print(f"AGENT{index}_CSRF='{urllib.parse.quote(token, safe='')}'")
