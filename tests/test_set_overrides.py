"""`--set PATH=VALUE` and `--fresh-name` on render, validate, submit, clone and history resubmit /
clone: each changes exactly the named member (whole requests compared), strings where the model
wants strings, and a path the model does not have is refused naming the closest ones."""

from __future__ import annotations

import copy
import json
import re

import pytest

from smjob.cli.main import main as cli_main
from smjob.examples import load_example
from smjob.history import History
from smjob.set_paths import SetError, apply_sets, split_assignment
from tests.support.moto_server import raw_client

STAMP = re.compile(r"-\d{8}-\d{6}(-\d{3})?$")
SETS = ["--set", "ResourceConfig.InstanceCount=4", "--set", "HyperParameters.lr=0.010"]
SETS += ["--set", "InputDataConfig[1].ChannelName=val"]


def main(argv) -> int:
    return cli_main([str(a) for a in argv])


def changed(request: dict) -> dict:
    """`request` with exactly what SETS names changed."""
    out = copy.deepcopy(request)
    out["ResourceConfig"]["InstanceCount"] = 4
    out["HyperParameters"]["lr"] = "0.010"
    out["InputDataConfig"][1]["ChannelName"] = "val"
    return out


@pytest.fixture
def job_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))  # a history of this test's own
    path = tmp_path / "job.json"
    path.write_text(json.dumps(load_example("pytorch-gpu")))
    return path


def test_apply_sets_changes_exactly_the_named_members():
    request = load_example("pytorch-gpu")
    out, notes = apply_sets(request, ["ResourceConfig.InstanceCount=4", "HyperParameters.lr=0.010"])
    expected = copy.deepcopy(request)
    expected["ResourceConfig"]["InstanceCount"] = 4
    expected["HyperParameters"]["lr"] = "0.010"
    assert out == expected and request == load_example("pytorch-gpu")
    assert notes == ['HyperParameters.lr: the model wants a string; set the string "0.010"']
    out, notes = apply_sets(
        request,
        [
            "Environment.MODE=fast run",  # not JSON: the text
            'Tags=[{"Key": "a", "Value": "b"}]',  # JSON
            "StoppingCondition.MaxRuntimeInSeconds=2h",  # a duration
            "HyperParameters.momentum=null",  # removes
            'Environment["A=B.C"]=true',  # a quoted key with '=' and '.'; true as the string "true"
            "InputDataConfig[2].ChannelName=extra",  # one past the end adds an item
        ],
    )
    assert out["Environment"]["MODE"] == "fast run" and out["Environment"]["A=B.C"] == "true"
    assert out["Tags"] == [{"Key": "a", "Value": "b"}]
    assert out["StoppingCondition"]["MaxRuntimeInSeconds"] == 7200
    assert "momentum" not in out["HyperParameters"]
    assert out["InputDataConfig"][2] == {"ChannelName": "extra"}
    assert split_assignment('HyperParameters["a=b"]=c=d') == ('HyperParameters["a=b"]', "c=d")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ResourceConfig.InstanceCont=4", "did you mean ResourceConfig.InstanceCount"),
        ("Hyperparameters.lr=1", "did you mean HyperParameters"),
        ("InputDataConfig[0].Channel=x", "did you mean InputDataConfig[0].ChannelName"),
        ("InputDataConfig[7].ChannelName=x", "has 2 item(s); the index can be at most 2"),
        ("ResourceConfig.InstanceCount", "expected PATH=VALUE"),
        ("=4", "is not a request path"),
    ],
)
def test_bad_assignments_are_refused(text, message):
    with pytest.raises(SetError) as caught:
        apply_sets(load_example("pytorch-gpu"), [text])
    assert message in str(caught.value)


def test_render_and_validate(job_file, capsys):
    request = load_example("pytorch-gpu")
    assert main(["render", job_file, *SETS]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == changed(request)
    assert 'the model wants a string; set the string "0.010"' in captured.err

    assert main(["render", job_file, "--fresh-name"]) == 0
    renamed = json.loads(capsys.readouterr().out)
    assert STAMP.search(renamed["TrainingJobName"]) and renamed["TrainingJobName"] != request["TrainingJobName"]
    assert {k: v for k, v in renamed.items() if k != "TrainingJobName"} == {
        k: v for k, v in request.items() if k != "TrainingJobName"
    }

    assert main(["validate", job_file, "--set", "ResourceConfig.InstanceCount=-1"]) == 1
    assert "ResourceConfig.InstanceCount" in capsys.readouterr().out
    assert main(["validate", job_file, "--set", "ResourceConfig.InstanceCont=4"]) == 2
    assert "did you mean ResourceConfig.InstanceCount" in capsys.readouterr().err
    assert main(["validate", job_file, *SETS]) == 0


def test_submit_history_resubmit_and_clones(moto, job_file, tmp_path, capsys):
    request = load_example("pytorch-gpu")
    assert main(["submit", job_file, "--endpoint-url", moto.url, *SETS]) == 0
    sent = raw_client(moto).describe_training_job(TrainingJobName=request["TrainingJobName"])
    assert sent["ResourceConfig"]["InstanceCount"] == 4 and sent["HyperParameters"]["lr"] == "0.010"
    with History() as history:
        first = history.get(history.list(limit=1)[0].id)
    assert first.request == changed(request)

    capsys.readouterr()
    assert main(["history", "resubmit", first.id, "--set", "ResourceConfig.InstanceCount=2"]) == 0
    with History() as history:
        second = history.get(history.list(limit=1)[0].id)
    assert second.id != first.id and STAMP.search(second.job_name)
    expected = copy.deepcopy(first.request)
    expected["ResourceConfig"]["InstanceCount"] = 2
    expected["TrainingJobName"] = second.job_name
    assert second.request == expected

    out = tmp_path / "clone.json"
    assert main(["clone", second.job_name, "-o", out, "--endpoint-url", moto.url, "--set", "Tags=null"]) == 0
    cloned = json.loads(out.read_text())
    assert "Tags" not in cloned and cloned["ResourceConfig"]["InstanceCount"] == 2

    capsys.readouterr()
    assert main(["history", "clone", second.id, "--set", "HyperParameters.lr=0.5"]) == 0
    cloned = json.loads(capsys.readouterr().out)
    expected = copy.deepcopy(second.request)
    expected["HyperParameters"]["lr"] = "0.5"
    expected["TrainingJobName"] = cloned["TrainingJobName"]
    assert cloned == expected

    assert main(["submit", job_file, "--endpoint-url", moto.url, "--set", "Nope=1"]) == 2
    assert "Nope is not in the CreateTrainingJob model" in capsys.readouterr().err
