"""The live path against a local HTTP server on 127.0.0.1 serving the fixture files:
User-Agent, 403, 429 with Retry-After, 500 after retries, timeout, truncated JSON, cache,
and the 10-requests-per-second limit. Each failure leaves data/ byte-for-byte unchanged
and exits 2 with one line through sheets.cli.main."""

from __future__ import annotations

import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sheets.cli import main
from sheets.sources.sec.client import RateLimiter, SecClient
from sheets.sources.sec.companies import company_for
from sheets.sources.sec.errors import SecError

from .conftest import DATA
from .sec_helpers import COMPANYFACTS

UA = "Jane Analyst jane.analyst@example.com"


class Handler(BaseHTTPRequestHandler):
    """Serves tests/fixtures/sec/companyfacts/<name>; ``server.mode`` picks a failure."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        server = self.server
        server.hits.append((time.monotonic(), self.path, self.headers.get("User-Agent")))
        mode = server.mode
        name = self.path.rsplit("/", 1)[-1]
        path = COMPANYFACTS / name
        if mode == "403" or not self.headers.get("User-Agent", "").count("@"):
            return self._send(403, b"Forbidden")
        if mode == "429-once" and len(server.hits) == 1:
            return self._send(429, b"slow down", {"Retry-After": "1"})
        if mode == "500":
            return self._send(500, b"oops")
        if mode == "slow":
            time.sleep(1.5)
        if not path.is_file():
            return self._send(404, b"not found")
        body = path.read_bytes()
        if mode == "truncated":
            body = body[: len(body) // 2]
        self._send(200, body, {"Content-Type": "application/json"})

    def _send(self, code, body, headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server():
    """A local server in a thread; stops at teardown, or by itself after 60 s."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.mode = "ok"
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    guard = threading.Timer(60, httpd.shutdown)
    guard.daemon = True
    guard.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/api/xbrl/companyfacts/"
    yield httpd
    guard.cancel()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def data(tmp_path):
    """A data/ folder holding files built from the fixtures (the state to preserve)."""
    target = tmp_path / "data"
    target.mkdir()
    assert (
        main(
            ["fetch", "--from", str(COMPANYFACTS), "--tickers", "MSFT,GOOGL", "--data", str(target)]
        )
        == 0
    )
    shutil.copy(DATA / "t02_capex_ratios.csv", target)
    return target


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run_live(server, data, capsys, *extra):
    capsys.readouterr()
    argv = [
        "fetch",
        "--tickers",
        "MSFT,GOOGL",
        "--data",
        str(data),
        "--base-url",
        server.url,
        "--retries",
        "2",
        "--timeout",
        "0.5",
        *extra,
    ]
    return main(argv)


def test_live_success_matches_saved_files(server, data, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("AIM_SEC_USER_AGENT", UA)
    monkeypatch.setenv("AIM_SEC_BASE_URL", server.url)  # the base URL from the environment
    live = tmp_path / "live"
    live.mkdir()
    assert main(["fetch", "--tickers", "MSFT,GOOGL", "--data", str(live)]) == 0
    assert snapshot(live)["sec_filings.csv"] == snapshot(data)["sec_filings.csv"]
    assert [h[2] for h in server.hits] == [UA, UA]
    assert [h[1].rsplit("/", 1)[-1] for h in server.hits] == [
        "CIK0000789019.json",
        "CIK0001652044.json",
    ]


def expect_failure(server, data, capsys, *problem):
    before = snapshot(data)
    code = run_live(server, data, capsys, "--user-agent", UA)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("aimodel: Microsoft (MSFT), http://127.0.0.1:")
    assert "CIK0000789019.json: " in err
    for p in problem:
        assert p in err
    assert snapshot(data) == before  # data/ byte-for-byte unchanged
    return err


def test_no_user_agent_refuses_before_calling(server, data, capsys, monkeypatch):
    monkeypatch.delenv("AIM_SEC_USER_AGENT", raising=False)
    before = snapshot(data)
    assert run_live(server, data, capsys) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "AIM_SEC_USER_AGENT" in err and "--user-agent" in err
    assert server.hits == []  # refused before any call
    assert snapshot(data) == before
    with pytest.raises(SecError, match="must hold a name and an e-mail"):
        SecClient(user_agent="python-urllib", base_url=server.url)


def test_server_403_is_an_error(server, data, capsys):
    server.mode = "403"
    expect_failure(server, data, capsys, "HTTP 403", "User-Agent")
    assert len(server.hits) == 1  # 403 is not retried


def test_429_then_success_honours_retry_after(server, data, capsys):
    server.mode = "429-once"
    t0 = time.monotonic()
    assert run_live(server, data, capsys, "--user-agent", UA) == 0
    # Retry-After: 1 -> the second request came at least one second after the first.
    assert server.hits[1][0] - server.hits[0][0] >= 0.95
    assert time.monotonic() - t0 < 10


def test_500_after_retries_is_an_error(server, data, capsys):
    server.mode = "500"
    expect_failure(server, data, capsys, "HTTP 500", "(3 attempts)")
    assert len(server.hits) == 3  # --retries 2


def test_timeout_is_an_error(server, data, capsys):
    server.mode = "slow"
    expect_failure(server, data, capsys, "timed out after 0.5 s")


def test_truncated_json_is_an_error(server, data, capsys):
    server.mode = "truncated"
    expect_failure(server, data, capsys, "is not valid JSON, truncated or damaged")


def test_cache_avoids_a_second_call(server, tmp_path):
    client = SecClient(user_agent=UA, base_url=server.url, cache_dir=tmp_path / "cache")
    msft = company_for("MSFT")
    body = client.get(msft)
    client.remember(msft, body)
    assert client.cached(msft) == body == (COMPANYFACTS / msft.filename).read_bytes()
    assert len(server.hits) == 1


def windows_ok(starts, limit=10, period=1.0):
    starts = sorted(starts)
    return all(sum(1 for t in starts if s <= t < s + period) <= limit for s in starts)


def test_rate_limit_fake_clock():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0], sleep=lambda d: now.__setitem__(0, now[0] + d))
    starts = []
    for _ in range(45):
        starts.append(limiter.wait())
        now[0] += 0.013  # each request takes 13 ms
    assert windows_ok(starts)
    # Without waiting the 45 requests would span 0.6 s; the limiter spreads them over
    # at least 4 windows: request 41 starts no earlier than 4 s after request 1.
    assert starts[40] - starts[0] >= 4.0


class RecordingLimiter(RateLimiter):
    def __init__(self):
        super().__init__()
        self.log = []

    def wait(self):
        start = super().wait()
        self.log.append(start)
        return start


def test_rate_limit_real_requests(server):
    limiter = RecordingLimiter()
    client = SecClient(user_agent=UA, base_url=server.url, limiter=limiter)
    nbis = company_for("NBIS")  # the smallest fixture (31 kB)
    for _ in range(13):
        client.get(nbis)
    # Client-side start times (time.monotonic): never 11 in one second.
    assert len(limiter.log) == 13 and windows_ok(limiter.log)
    assert limiter.log[10] - limiter.log[0] >= 1.0
    # Server-side arrivals agree, allowing a little network jitter.
    arrivals = [h[0] for h in server.hits]
    assert len(arrivals) == 13 and arrivals[10] - arrivals[0] >= 0.9


def test_refresh_macro_fetches_then_refreshes(server, built_model, tmp_path, monkeypatch):
    """model.main() (what the workbook's SampleCall macro runs) with Fetch_on_refresh "yes":
    the live fetch from the local server fills data/ beside the workbook, and the refresh
    writes the new quarter into sec_quarterly. The data/ folder starts a quarter behind
    (its latest quarter removed); the served files are tests/fixtures/sec."""
    import sys
    import types
    from types import SimpleNamespace

    import pandas as pd
    from openpyxl import load_workbook

    from sheets.model.timeline import PIVOT_STEM
    from sheets.sources.loader import load_data

    from .test_excel_target import FakeBook

    folder = tmp_path / "book"
    data = folder / "data"
    shutil.copytree(DATA, data)
    companies = pd.read_csv(data / "companies.csv", dtype=str, keep_default_na=False)
    served = {p.name for p in COMPANYFACTS.iterdir()}
    companies = companies[[f"CIK{c}.json" in served for c in companies["cik"]]]
    companies.to_csv(data / "companies.csv", index=False)
    filings = pd.read_csv(data / "sec_filings.csv", dtype=str, keep_default_na=False)
    latest = max(p for p in filings["period"] if "Q" in p)
    filings[filings["period"] != latest].to_csv(data / "sec_filings.csv", index=False)

    wb = load_workbook(built_model, keep_vba=True)
    sheet, coord = next(iter(wb.defined_names["Fetch_on_refresh"].destinations))
    wb[sheet][coord.replace("$", "")] = "yes"  # the value Excel computes for the in-use cell
    book = FakeBook(wb, str(folder / "model.xlsm"))
    fake_xw = types.ModuleType("xlwings")
    fake_xw.Book = SimpleNamespace(caller=lambda: book)
    monkeypatch.setitem(sys.modules, "xlwings", fake_xw)
    monkeypatch.setenv("AIM_SEC_USER_AGENT", UA)
    monkeypatch.setenv("AIM_SEC_BASE_URL", server.url)
    import model

    model.main()
    assert len(server.hits) == len(companies)
    loaded = load_data(data)
    assert latest in set(loaded.filings["period"])
    row = loaded.filings[
        (loaded.filings["entity"] == "Amazon")
        & (loaded.filings["metric"] == "capex")
        & (loaded.filings["period"] == latest)
    ]
    ws = wb[PIVOT_STEM]
    quarter_row = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == latest
    )
    values = [ws.cell(row=quarter_row, column=c).value for c in range(3, ws.max_column + 1)]
    assert float(row["value"].iloc[0]) in values
