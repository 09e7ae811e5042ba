"""The one error the filings layer raises."""

from __future__ import annotations

from udfs.errors import AimError

__all__ = ["SecError"]


class SecError(AimError):
    """Company facts could not be read or used.

    The message is one line naming the company, the URL or file, and the problem::

        Alphabet (GOOGL), tests/fixtures/sec/companyfacts/CIK0001652044.json: is not valid
        JSON (truncated or damaged at line 1, column 5000)

    Parameters
    ----------
    company : str
        ``"Alphabet (GOOGL)"``, or empty when no company is concerned.
    where : str
        The URL or file read, or empty.
    problem : str
        What is wrong, on one line.
    """

    def __init__(self, company: str, where: str, problem: str):
        self.company = company
        self.where = where
        self.problem = " ".join(problem.split())
        head = ", ".join(p for p in (company, where) if p)
        super().__init__(f"{head}: {self.problem}" if head else self.problem)
