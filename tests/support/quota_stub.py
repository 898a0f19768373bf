"""Service Quotas and running training jobs as AWS documents them, for tests/support/json_stub.py:
moto's service-quotas answers only for service code `vpc`, and its jobs are never InProgress."""

REGION = "us-east-1"


def quota(code, name, value, unit="None"):
    return {
        "ServiceCode": "sagemaker",
        "ServiceName": "Amazon SageMaker",
        "QuotaArn": f"arn:aws:servicequotas:{REGION}:123456789012:sagemaker/{code}",
        "QuotaCode": code,
        "QuotaName": name,
        "Value": value,
        "Unit": unit,
        "Adjustable": True,
        "GlobalQuota": False,
    }


QUOTAS = [
    quota("L-3F53BF0F", "ml.g4dn.xlarge for training job usage", 4.0),
    quota("L-6BC4D6B4", "ml.g4dn.xlarge for spot training job usage", 1.0),
    quota("L-21E1E4E4", "ml.p4d.24xlarge for training job usage", 0.0),
    quota("L-B2D8C2B6", "ml.c5.xlarge for training job usage", 20.0),
    quota("L-A9B8C7D6", "ml.c5.xlarge for training warm pool usage", 2.0),
    quota("L-E7898792", "Number of instances across all training jobs", 10.0),
    quota("L-5C2A5A9C", "Longest run time for a training job", 432000.0, "Seconds"),
]


def quota_handlers(pages=QUOTAS, running=()):
    def list_quotas(body):
        assert body["ServiceCode"] == "sagemaker"
        half = len(pages) // 2
        if body.get("NextToken") != "p2":  # two pages: smjob must follow NextToken
            return {"Quotas": pages[:half], "NextToken": "p2"}
        return {"Quotas": pages[half:]}

    def list_jobs(body):
        assert body["StatusEquals"] == "InProgress"
        summaries = [
            {
                "TrainingJobName": name,
                "TrainingJobArn": f"arn:aws:sagemaker:{REGION}:123456789012:training-job/{name}",
                "CreationTime": 1764000000.0,
                "TrainingJobStatus": "InProgress",
            }
            for name, *_ in running
        ]
        return {"TrainingJobSummaries": summaries}

    def describe_job(body):
        name, instance_type, count, spot = next(r for r in running if r[0] == body["TrainingJobName"])
        return {
            "TrainingJobName": name,
            "TrainingJobArn": f"arn:aws:sagemaker:{REGION}:123456789012:training-job/{name}",
            "TrainingJobStatus": "InProgress",
            "SecondaryStatus": "Training",
            "AlgorithmSpecification": {"TrainingImage": "x", "TrainingInputMode": "File"},
            "ResourceConfig": {"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 50},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "EnableManagedSpotTraining": spot,
            "CreationTime": 1764000000.0,
            "ModelArtifacts": {"S3ModelArtifacts": ""},
        }

    return {
        "ServiceQuotasV20190624.ListServiceQuotas": list_quotas,
        "SageMaker.ListTrainingJobs": list_jobs,
        "SageMaker.DescribeTrainingJob": describe_job,
    }
