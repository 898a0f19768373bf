"""The status line's region, read without botocore, is the region botocore itself resolves."""

import pytest

from smjob.aws.target import configured_region

CONFIG = """
[default]
region = eu-west-1

[profile ml]
region = us-west-2

[profile noregion]
output = json

[profile spaced]
region =   ap-south-1
"""


def botocore_region(profile):
    import botocore.session

    return botocore.session.Session(profile=profile).get_config_variable("region")


@pytest.mark.parametrize("profile", [None, "ml", "noregion", "spaced"])
@pytest.mark.parametrize("env_region", [None, "ca-central-1"])
@pytest.mark.parametrize("env_profile", [None, "ml"])
def test_same_region_as_botocore(tmp_path, monkeypatch, profile, env_region, env_profile):
    config = tmp_path / "config"
    config.write_text(CONFIG)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for var, value in (("AWS_DEFAULT_REGION", env_region), ("AWS_PROFILE", env_profile)):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)
    assert configured_region(profile) == botocore_region(profile)


def test_no_config_file_and_no_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    assert configured_region(None) is None is botocore_region(None)
