"""F1's API reference link follows the shape that holds the member, through lists and maps."""

from smjob.field_notes import API_REFERENCE, NOTES, note_for, reference_url
from smjob.schema import request_schema


def test_links_name_the_holding_shape():
    assert reference_url(("RoleArn",)).endswith(
        "API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-RoleArn"
    )
    assert reference_url(("ResourceConfig", "InstanceType")).endswith(
        "API_ResourceConfig.html#sagemaker-Type-ResourceConfig-InstanceType"
    )
    assert reference_url(("InputDataConfig", 3, "DataSource", "S3DataSource", "S3Uri")).endswith(
        "API_S3DataSource.html#sagemaker-Type-S3DataSource-S3Uri"
    )
    assert reference_url(("HyperParameters", "lr")).endswith("#sagemaker-CreateTrainingJob-request-HyperParameters")


def test_every_member_gets_a_page_of_its_own_shape():
    schema = request_schema()
    for path, _node in schema.walk():
        url = reference_url(path)
        assert url.startswith(API_REFERENCE + "/API_") and " " not in url, path


def test_notes_exist_for_real_members_only():
    names = {path[-1] for path, _ in request_schema().walk() if path and isinstance(path[-1], str)}
    assert set(NOTES) <= names
    assert "sagemaker.amazonaws.com" in note_for(("RoleArn",))
    assert note_for(("ResourceConfig", "InstanceType")) and note_for(("TrainingJobName",)) is None
