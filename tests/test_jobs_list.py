"""smjob.jobs_list against moto's ListTrainingJobs: pages fetched only when asked for, every job
exactly once across pages, status / name / creation-time filters, and `smjob jobs`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from smjob.cli.main import main as cli_main
from smjob.examples import load_example
from smjob.jobs_list import JobPager, JobQuery
from tests.support.moto_server import raw_client


@pytest.fixture
def jobs(moto) -> list[str]:
    sm = raw_client(moto)
    names = [f"{'bert' if i % 2 else 'resnet'}-{i}" for i in range(7)]
    for name in names:
        sm.create_training_job(**dict(load_example("pytorch-gpu"), TrainingJobName=name))
    return names


def test_pages_are_lazy_and_cover_every_job_once(moto, jobs):
    pager = JobPager(JobQuery(), moto.target(), page_size=3)
    assert pager.calls == 0
    first = pager.next_page()
    assert len(first) == 3 and pager.calls == 1 and not pager.done
    rest = [row for page in pager for row in page]
    assert pager.done and pager.next_page() == []
    names = [r.name for r in first + rest]
    assert sorted(names) == sorted(jobs) and len(names) == len(set(names))
    assert pager.calls == 3 and pager.fetched == 7
    assert {r.status for r in first + rest} == {"Completed"}


def test_filters(moto, jobs):
    def names(query):
        return sorted(r.name for page in JobPager(query, moto.target(), page_size=2) for r in page)

    assert names(JobQuery(name_contains="bert")) == ["bert-1", "bert-3", "bert-5"]
    assert names(JobQuery(status="Completed")) == sorted(jobs)
    assert names(JobQuery(status="InProgress")) == []
    future = datetime.now(UTC) + timedelta(days=1)
    assert names(JobQuery(created_after=future)) == []
    assert names(JobQuery(created_before=future)) == sorted(jobs)
    with pytest.raises(ValueError, match="unknown job status"):
        JobQuery(status="Running").params(10)


def test_smjob_jobs(moto, jobs, capsys):
    assert cli_main(["jobs", "--endpoint-url", moto.url, "--name", "resnet", "--json", "--since", "1h"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["name"] for r in rows) == ["resnet-0", "resnet-2", "resnet-4", "resnet-6"]
    assert cli_main(["jobs", "--endpoint-url", moto.url, "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all("Completed" in line for line in lines)
