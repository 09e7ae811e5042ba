"""Live access to SEC's company-facts API, as SEC asks automated clients to behave.

* Every request carries a User-Agent naming a person or firm and an e-mail address
  (``AIM_SEC_USER_AGENT`` or ``--user-agent``); without one the client refuses to call.
* At most 10 requests start in any one-second window (:class:`RateLimiter`).
* Each request times out; 429 and 5xx answers, timeouts and dropped connections are
  retried with exponential backoff, honouring ``Retry-After`` (seconds or an HTTP date).
  A host name that does not resolve (DNS) fails at once: a retry would not help.
* An optional cache folder keeps each response (``CIK##########.json``); a cached file
  younger than ``cache_max_age`` seconds is used without calling SEC.
* The base URL is ``AIM_SEC_BASE_URL`` when set (tests point it at 127.0.0.1).
"""

from __future__ import annotations

import collections
import email.utils
import gzip
import http.client
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sheets.sources.sec.companies import Company
from sheets.sources.sec.errors import SecError

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_BASE_URL",
    "ENV_USER_AGENT",
    "RateLimiter",
    "SecClient",
    "check_user_agent",
]

DEFAULT_BASE_URL = "https://data.sec.gov/api/xbrl/companyfacts/"
ENV_USER_AGENT = "AIM_SEC_USER_AGENT"
ENV_BASE_URL = "AIM_SEC_BASE_URL"
HOW_TO_SET = (
    f"set {ENV_USER_AGENT}='Your Name your.name@example.com' (or pass --user-agent); "
    "SEC refuses automated requests that do not name the requester and an e-mail"
)
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,}")
MAX_RETRY_AFTER = 60.0


def check_user_agent(user_agent: str | None) -> str:
    """The User-Agent if it holds a name and an e-mail; :class:`SecError` otherwise."""
    text = " ".join((user_agent or "").split())
    if not text:
        raise SecError("", "", f"no User-Agent for SEC: {HOW_TO_SET}")
    match = _EMAIL.search(text)
    name = _EMAIL.sub("", text).strip(" <>,;()")
    if match is None or not name:
        raise SecError("", "", f"User-Agent {text!r} must hold a name and an e-mail: {HOW_TO_SET}")
    return text


class RateLimiter:
    """Start at most ``max_calls`` requests in any window of ``period`` seconds.

    Parameters
    ----------
    max_calls : int
        Requests allowed per window (SEC: 10).
    period : float
        Window length in seconds.
    clock, sleep : callable
        ``time.monotonic`` and ``time.sleep`` unless a test passes fakes.
    """

    def __init__(
        self,
        max_calls: int = 10,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.max_calls = max_calls
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self.starts: collections.deque[float] = collections.deque(maxlen=max_calls)

    def wait(self) -> float:
        """Block until a request may start; record and return its start time."""
        if len(self.starts) == self.max_calls:
            delay = self.starts[0] + self.period - self.clock()
            if delay > 0:
                self.sleep(delay)
        now = self.clock()
        self.starts.append(now)
        return now


def _retry_after(value: str | None, now: Callable[[], datetime]) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def _decode_body(body: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "").lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class SecClient:
    """Fetch company-facts JSON from SEC (or a server standing in for it).

    Parameters
    ----------
    user_agent : str or None
        ``"Name email@example.com"``; None reads ``AIM_SEC_USER_AGENT``. Missing or
        without an e-mail: :class:`SecError` before any call.
    base_url : str or None
        None reads ``AIM_SEC_BASE_URL``, else SEC's own URL.
    timeout : float
        Seconds per request (connect and each read).
    retries : int
        Further attempts after a 429, 5xx, timeout or dropped connection.
    backoff : float
        First wait in seconds when no Retry-After is given; doubles each retry.
    cache_dir : path or None
        Keep responses here; reuse one younger than ``cache_max_age`` seconds.
    limiter : RateLimiter or None
        Shared limiter (10 requests per second by default).
    sleep : callable
        ``time.sleep`` unless a test passes a fake.
    """

    def __init__(
        self,
        user_agent: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        cache_dir: Path | str | None = None,
        cache_max_age: float = 12 * 3600,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if user_agent is None:
            user_agent = os.environ.get(ENV_USER_AGENT)
        self.user_agent = check_user_agent(user_agent)
        base = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        self.base_url = base if base.endswith("/") else base + "/"
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.cache_max_age = cache_max_age
        self.limiter = limiter or RateLimiter(sleep=sleep)
        self.sleep = sleep

    def url(self, company: Company) -> str:
        """The company-facts URL of ``company``."""
        return self.base_url + company.filename

    def cached(self, company: Company) -> bytes | None:
        """A fresh cached response, or None."""
        if self.cache_dir is None:
            return None
        path = self.cache_dir / company.filename
        try:
            if time.time() - path.stat().st_mtime <= self.cache_max_age:
                return path.read_bytes()
        except OSError:
            return None
        return None

    def remember(self, company: Company, body: bytes) -> None:
        """Keep a response that parsed, in the cache folder (if any)."""
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / company.filename
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, path)

    def get(self, company: Company) -> bytes:
        """The company-facts body of ``company``; :class:`SecError` on any failure."""
        url = self.url(company)
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.user_agent,
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            },
        )
        attempts = self.retries + 1
        problem = ""
        for attempt in range(attempts):
            wait: float | None = None
            self.limiter.wait()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                    return _decode_body(body, response.headers.get("Content-Encoding"))
            except urllib.error.HTTPError as err:
                status = f"HTTP {err.code} {err.reason}"
                if err.code == 403:
                    raise SecError(
                        company.label,
                        url,
                        f"{status}: the server refused the request; SEC answers 403 to "
                        f"clients without a proper User-Agent ({HOW_TO_SET})",
                    ) from None
                if err.code == 404:
                    raise SecError(
                        company.label, url, f"{status}: no company facts for this CIK"
                    ) from None
                if err.code != 429 and err.code < 500:
                    raise SecError(company.label, url, status) from None
                problem = status
                wait = _retry_after(err.headers.get("Retry-After"), lambda: datetime.now(UTC))
            except TimeoutError:
                problem = f"timed out after {self.timeout:g} s"
            except urllib.error.URLError as err:
                reason = err.reason
                if isinstance(reason, socket.gaierror):  # DNS: retrying will not help
                    host = urllib.parse.urlsplit(url).hostname
                    raise SecError(
                        company.label,
                        url,
                        f"cannot resolve the host name {host} ({reason.strerror or reason}): "
                        "check the network, the proxy or --base-url",
                    ) from None
                if isinstance(reason, TimeoutError):
                    problem = f"timed out after {self.timeout:g} s"
                else:
                    problem = f"cannot reach the server ({reason})"
            except (http.client.HTTPException, ConnectionError) as err:
                problem = f"connection failed ({type(err).__name__}: {err})"
            except (OSError, EOFError, zlib.error) as err:
                problem = f"bad response ({type(err).__name__}: {err})"
            if attempt + 1 < attempts:
                if wait is None:
                    wait = self.backoff * 2**attempt
                self.sleep(min(wait, MAX_RETRY_AFTER))
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        raise SecError(company.label, url, f"{problem} ({tries})")
