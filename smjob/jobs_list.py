"""ListTrainingJobs for a target, page by page, for the jobs screen and `smjob jobs`.

    pager = JobPager(JobQuery(status="InProgress", name_contains="bert", created_after=...), target)
    pager.next_page()   # one ListTrainingJobs call: up to page_size JobSummary, newest first
    pager.done          # no more pages
    for page in pager:  # the pages left, fetched only as they are asked for

Pages may come back empty while a token remains (moto cuts pages before filtering, AWS may too),
so `next_page` keeps asking until it has rows or the listing ends; a token seen before ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smjob.aws.jobs import JobSummary, summary_of
from smjob.aws.target import Target

STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped")
MAX_EMPTY_PAGES = 50


@dataclass(frozen=True, slots=True)
class JobQuery:
    status: str | None = None  # one of STATUSES
    name_contains: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort_by: str = "CreationTime"  # or "Name", "Status"
    descending: bool = True

    def params(self, page_size: int) -> dict[str, Any]:
        if self.status and self.status not in STATUSES:
            raise ValueError(f"unknown job status {self.status!r}; one of {', '.join(STATUSES)}")
        params: dict[str, Any] = {
            "SortBy": self.sort_by,
            "SortOrder": "Descending" if self.descending else "Ascending",
            "MaxResults": max(1, min(int(page_size), 100)),
        }
        if self.status:
            params["StatusEquals"] = self.status
        if self.name_contains:
            params["NameContains"] = self.name_contains
        if self.created_after:
            params["CreationTimeAfter"] = self.created_after
        if self.created_before:
            params["CreationTimeBefore"] = self.created_before
        return params


class JobPager:
    """Lazily paginated ListTrainingJobs; raises smjob.aws.AwsError as the calls do."""

    def __init__(self, query: JobQuery | None = None, target: Target | None = None, *, page_size=100, client=None):
        self.query = query or JobQuery()
        self.target = target
        self.page_size = page_size
        self._client = client
        self._token: str | None = None
        self._seen: set[str] = set()
        self.done = False
        self.calls = 0  # ListTrainingJobs calls made so far
        self.fetched = 0  # rows returned so far

    def next_page(self) -> list[JobSummary]:
        """The next rows (empty only when the listing has ended)."""
        from smjob.aws.clients import call, client_for

        if self.done:
            return []
        if self._client is None:
            self._client = client_for(self.target, None)
        params = self.query.params(self.page_size)
        for _ in range(MAX_EMPTY_PAGES):
            page = call(self._client, "ListTrainingJobs", self.target, **params, **self._token_param())
            self.calls += 1
            rows = [summary_of(item) for item in page.get("TrainingJobSummaries", [])]
            token = page.get("NextToken")
            if not token or token in self._seen:
                self.done = True
            else:
                self._seen.add(token)
                self._token = token
            if rows or self.done:
                self.fetched += len(rows)
                return rows
        self.done = True
        return []

    def _token_param(self) -> dict:
        return {"NextToken": self._token} if self._token else {}

    def __iter__(self):
        while not self.done:
            rows = self.next_page()
            if rows:
                yield rows
