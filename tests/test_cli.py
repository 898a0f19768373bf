"""The headless commands: exit codes, machine output, and what each prints."""

import json

import pytest
import yaml

from smjob.cli.main import main
from smjob.examples import load_example

JOB = load_example("pytorch-gpu")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(JOB))
    bad = tmp_path / "bad.yaml"
    bad.write_text("TrainingJobName: my_job\n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"TrainingJobName": }')

    assert run(capsys, "validate", str(good))[0] == 0
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1 and "TrainingJobName" in out and "RoleArn is required" in out
    code, _, err = run(capsys, "validate", str(good), str(broken))
    assert code == 2 and "broken.json:1:" in err


def test_validate_json_output(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(JOB, TrainingJobName="my_job")))
    code, out, _ = run(capsys, "validate", "--json", str(bad))
    [report] = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert [(p["path"], p["rule"]) for p in report["problems"]] == [("TrainingJobName", "schema.pattern")]


def test_render_formats_round_trip(tmp_path, capsys):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(JOB))
    assert json.loads(run(capsys, "render", str(job), "--to", "json")[1]) == JOB
    assert yaml.safe_load(run(capsys, "render", str(job), "--to", "yaml")[1]) == JOB
    assert run(capsys, "render", str(job), "--to", "cli")[1].startswith("aws sagemaker create-training-job")
    out_file = tmp_path / "out.py"
    assert run(capsys, "render", str(job), "--to", "python", "-o", str(out_file))[0] == 0
    assert "create_training_job(**request)" in out_file.read_text()
    assert run(capsys, "render", str(tmp_path / "missing.json"))[0] == 2


@pytest.mark.parametrize("fmt", ["json", "yaml", "cli", "python"])
def test_stdout_ends_with_one_newline_in_every_format(fmt, tmp_path, capsys):
    """A shell prompt after `smjob render --to cli` started on the command's last line. The text
    itself (what the clipboard and F10 get) is unchanged: stdout adds the newline only if it lacks one."""
    from smjob.render import render

    job = tmp_path / "job.json"
    job.write_text(json.dumps(JOB))
    (tmp_path / "train.py").write_text("print(1)\n")
    commands = {
        "render": ["render", str(job)],
        "render --source-dir": ["render", str(job), "--source-dir", str(tmp_path), "--entry-point", "train.py"],
        "skeleton": ["skeleton"],
        "new": ["new", "--example", "pytorch-gpu"],
    }
    for name, argv in commands.items():
        code, out, _ = run(capsys, *argv, "--to", fmt)
        assert code == 0, name
        assert out.endswith("\n") and not out.endswith("\n\n"), (name, out[-40:])
    text = render(JOB, fmt)
    assert run(capsys, "render", str(job), "--to", fmt)[1] == (text if text.endswith("\n") else text + "\n")


def test_skeleton_fields_new_rules(capsys):
    skeleton = json.loads(run(capsys, "skeleton")[1])
    assert "<job-name>" in skeleton["TrainingJobName"]
    out = run(capsys, "fields", "ResourceConfig")[1]
    assert "ResourceConfig.InstanceType" in out and "enum(" in out
    assert run(capsys, "fields", "NoSuchField")[0] == 2
    assert json.loads(run(capsys, "new", "--example", "pytorch-gpu")[1]) == JOB
    assert "pytorch-gpu" in run(capsys, "new", "--list")[1]
    assert "algorithm.image-xor-name" in run(capsys, "rules")[1]


@pytest.mark.parametrize(
    ("argv", "app"),
    [
        ([], True),
        (["demo"], True),
        (["demo", "--local"], True),
        (["edit", "job.json", "--region", "eu-west-1"], True),
        (["--profile", "dev"], False),  # a value looks like a command word: the full parser decides
        (["validate", "job.json"], False),
        (["demo", "--help"], False),
        (["bogus"], False),
    ],
)
def test_the_app_path_parses_like_the_full_parser(argv, app):
    from smjob.cli.main import build_parser, opens_the_app

    assert opens_the_app(argv) is app
    if app:
        short = vars(build_parser(app_only=True).parse_args(argv))
        full = vars(build_parser().parse_args(argv))
        assert short == full
