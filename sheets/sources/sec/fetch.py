"""``aimodel fetch``: read every company's facts, then write data/companies.csv and
data/sec_filings.csv together, and say what changed.

Nothing in data/ changes unless every company was read and parsed: a failure (offline,
an HTTP error, a file that is not company facts, a company without a needed metric)
raises :class:`~sheets.sources.sec.errors.SecError` before any write. Rows of companies not
fetched this time are kept from the previous data/sec_filings.csv.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sheets.sources.atomic import write_files_atomic
from sheets.sources.sec.client import SecClient
from sheets.sources.sec.companies import COMPANIES, Company
from sheets.sources.sec.companyfacts import parse_companyfacts
from sheets.sources.sec.errors import SecError
from sheets.sources.sec.schema import COMPANIES_COLUMNS, FILINGS_COLUMNS, load_filings
from sheets.sources.sec.series import company_rows

__all__ = ["COMPANIES_FILE", "FILINGS_FILE", "FetchResult", "fetch", "resolve_tickers"]

COMPANIES_FILE = "companies.csv"
FILINGS_FILE = "sec_filings.csv"


@dataclass
class FetchResult:
    """What a fetch read and changed.

    Attributes
    ----------
    companies : list of Company
        Those fetched, in companies.csv order.
    source : str
        The folder or base URL read.
    rows : int
        Rows now in sec_filings.csv.
    written : list of Path
        Files whose bytes changed.
    new_periods : dict
        Entity -> periods present now and absent before (any metric).
    changed : list of tuple
        ``(entity, metric, period, old value, new value)`` for values that differ.
    removed : dict
        Entity -> number of (metric, period) rows no longer produced.
    skipped : list of Company
        Companies not fetched because the ``--from`` folder has no file for them (their
        rows are kept).
    """

    companies: list[Company]
    source: str
    rows: int
    written: list[Path] = field(default_factory=list)
    new_periods: dict[str, list[str]] = field(default_factory=dict)
    changed: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    skipped: list[Company] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Lines for the terminal."""
        names = ", ".join(c.ticker for c in self.companies)
        files = ", ".join(p.name for p in self.written) or "nothing (no change)"
        lines = [f"fetched {names} from {self.source}; {self.rows} rows; wrote {files}"]
        if self.skipped:
            lines.append(
                f"skipped {', '.join(c.ticker for c in self.skipped)}: no saved file in "
                f"{self.source} ({', '.join(c.filename for c in self.skipped)}); their rows "
                "are kept"
            )
        for entity, periods in self.new_periods.items():
            shown = ", ".join(periods[:12]) + (", ..." if len(periods) > 12 else "")
            lines.append(f"{entity}: {len(periods)} new period(s): {shown}")
        for entity, metric, period, old, new in self.changed:
            lines.append(f"{entity} {metric} {period}: {old} -> {new}")
        for entity, count in self.removed.items():
            lines.append(f"{entity}: {count} value(s) no longer in the facts")
        if not (self.new_periods or self.changed or self.removed):
            lines.append("no new periods and no changed values")
        return lines


def registry(data_dir: Path | str) -> tuple[Company, ...]:
    """The companies of ``data_dir``/companies.csv (validated), or the built-in eight when
    the folder has none yet: adding a company is a row in that file, not a code change."""
    path = Path(data_dir) / COMPANIES_FILE
    if not path.is_file():
        return COMPANIES
    from sheets.sources.sec.schema import load_companies

    frame = load_companies(path)
    return tuple(
        Company(r.ticker, r.cik, r.entity, r.fiscal_year_end, r.filer, r.note)
        for r in frame.itertuples()
    )


def resolve_tickers(
    tickers: str | Iterable[str] | None, known: tuple[Company, ...] = COMPANIES
) -> list[Company]:
    """Companies for ``"MSFT,AMZN"`` (or a list), in companies.csv order; all when None."""
    if tickers is None:
        return list(known)
    items = tickers.split(",") if isinstance(tickers, str) else list(tickers)
    wanted = []
    for t in items:
        if not t.strip():
            continue
        match = [c for c in known if c.ticker == t.strip().upper()]
        if not match:
            names = ", ".join(c.ticker for c in known)
            raise SecError("", "", f"unknown ticker {t.strip()!r}; known: {names}")
        wanted.append(match[0])
    if not wanted:
        raise SecError("", "", "no tickers given")
    return [c for c in known if c in wanted]


def _read_saved(folder: Path, company: Company) -> tuple[bytes, str]:
    path = folder / company.filename
    try:
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise SecError(
            company.label,
            str(path),
            f"no such file (saved company facts are named as SEC serves them, {company.filename})",
        ) from None
    except OSError as err:
        raise SecError(company.label, str(path), f"cannot read ({err.strerror})") from None


def _csv_bytes(header: Iterable[str], rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _previous(path: Path) -> list[dict[str, str]]:
    """The rows of the existing sec_filings.csv as text (validated first), or []."""
    if not path.is_file():
        return []
    load_filings(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def _sort_key(order: dict[str, int]):
    def key(row: list[str]) -> tuple:
        return (order.get(row[0], len(order)), row[0], row[1], row[2])

    return key


def fetch(
    tickers: str | Iterable[str] | None = None,
    data_dir: Path | str = "data",
    source_dir: Path | str | None = None,
    client: SecClient | None = None,
) -> FetchResult:
    """Fetch company facts and rewrite data/companies.csv and data/sec_filings.csv.

    Parameters
    ----------
    tickers : str or list, optional
        ``"MSFT,AMZN"``; all companies of data/companies.csv when None (with
        ``source_dir``: those the folder has a file for, the others named as skipped).
    data_dir : path
        The data folder (must exist).
    source_dir : path, optional
        Read saved ``CIK##########.json`` files here instead of calling SEC.
    client : SecClient, optional
        For live calls; built from the environment when None and no ``source_dir``.

    Raises
    ------
    SecError
        Any company could not be read or used; data/ is left as it was.
    DataError
        The existing data/sec_filings.csv is invalid (fix or delete it).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SecError("", str(data_dir), "is not a folder (the data folder must exist)")
    known = registry(data_dir)
    companies = resolve_tickers(tickers, known)
    skipped: list[Company] = []
    if source_dir is not None and not Path(source_dir).is_dir():
        raise SecError("", str(source_dir), "is not a folder (--from names a folder of files)")
    if source_dir is not None and tickers is None:
        skipped = [c for c in companies if not (Path(source_dir) / c.filename).is_file()]
        companies = [c for c in companies if c not in skipped]
        if not companies:
            raise SecError(
                "",
                str(source_dir),
                "holds no saved company facts for any company of data/companies.csv "
                f"(files named as SEC serves them, e.g. {known[0].filename})",
            )
    if source_dir is None and client is None:
        client = SecClient()
    fresh: list[list[str]] = []
    for company in companies:
        if source_dir is not None:
            raw, where = _read_saved(Path(source_dir), company)
            facts = parse_companyfacts(raw, company, where)
        else:
            assert client is not None
            where = client.url(company)
            raw = client.cached(company) or client.get(company)
            facts = parse_companyfacts(raw, company, where)
            client.remember(company, raw)
        fresh.extend(row.fields() for row in company_rows(facts))

    filings_path = data_dir / FILINGS_FILE
    before = _previous(filings_path)
    fetched = {c.entity for c in companies}
    kept = [[r[c] for c in FILINGS_COLUMNS] for r in before if r["entity"] not in fetched]
    order = {c.entity: i for i, c in enumerate(known)}
    rows = sorted(fresh + kept, key=_sort_key(order))
    company_table = [[c.ticker, c.cik, c.entity, c.fiscal_year_end, c.filer, c.note] for c in known]
    written = write_files_atomic(
        {
            data_dir / COMPANIES_FILE: _csv_bytes(COMPANIES_COLUMNS, company_table),
            filings_path: _csv_bytes(FILINGS_COLUMNS, rows),
        }
    )
    source = str(source_dir) if source_dir is not None else (client.base_url if client else "")
    result = FetchResult(companies, source, len(rows), written, skipped=skipped)
    _compare(result, [r for r in before if r["entity"] in fetched], fresh, fetched)
    return result


def _compare(
    result: FetchResult, old_rows: list[dict[str, str]], new_rows: list[list[str]], fetched
) -> None:
    old = {(r["entity"], r["metric"], r["period"]): r["value"] for r in old_rows}
    new = {(r[0], r[1], r[2]): r[3] for r in new_rows}
    old_periods: dict[str, set[str]] = defaultdict(set)
    for entity, _, period in old:
        old_periods[entity].add(period)
    new_periods: dict[str, set[str]] = defaultdict(set)
    for entity, _, period in new:
        if period not in old_periods[entity]:
            new_periods[entity].add(period)
    order = {c.entity: i for i, c in enumerate(COMPANIES)}
    for entity in sorted(new_periods, key=lambda e: order.get(e, len(order))):
        result.new_periods[entity] = sorted(new_periods[entity])
    for key in sorted(old.keys() & new.keys(), key=lambda k: (order.get(k[0], 99), k)):
        if Decimal(old[key]) != Decimal(new[key]):
            result.changed.append((*key, old[key], new[key]))
    removed: dict[str, int] = defaultdict(int)
    for entity, _, _ in old.keys() - new.keys():
        removed[entity] += 1
    result.removed = dict(sorted(removed.items(), key=lambda kv: order.get(kv[0], 99)))


def run_fetch(args) -> list[str]:
    """Run ``aimodel fetch`` from parsed arguments; return the summary lines."""
    client = None
    if args.source is None:
        client = SecClient(
            user_agent=args.user_agent,
            base_url=args.base_url,
            timeout=args.timeout,
            retries=args.retries,
            cache_dir=args.cache,
        )
    result = fetch(args.tickers, args.data, source_dir=args.source, client=client)
    return result.summary()
