"""An AWS account in moto with what goes wrong in practice: a role SageMaker may assume and one
it may not, buckets in two regions, an ECR image, a KMS key, two VPCs with subnets and a group.
The `seeded` fixture (tests/conftest.py) adds Service Quotas answers and returns (target, ids)."""

import json

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def aws(endpoint, service, region=REGION):
    return boto3.client(service, endpoint_url=endpoint.target().endpoint_url, region_name=region)


def seed(moto) -> dict:
    """Create the account's resources; the ids the tests refer to."""
    iam = aws(moto, "iam")
    iam.create_role(RoleName="sm-good", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_role(RoleName="sm-ec2-only", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    s3 = aws(moto, "s3")
    s3.create_bucket(Bucket="data-here")
    s3.put_object(Bucket="data-here", Key="train/part-0.csv", Body=b"1,2\n")
    s3.put_object(Bucket="data-here", Key="empty/README-not-under-prefix", Body=b"")
    aws(moto, "s3", "eu-west-1").create_bucket(
        Bucket="data-in-ireland", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws(moto, "s3", "eu-west-1").put_object(Bucket="data-in-ireland", Key="train/x.csv", Body=b"1\n")
    ecr = aws(moto, "ecr")
    ecr.create_repository(repositoryName="trainer")
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"})
    ecr.put_image(repositoryName="trainer", imageManifest=manifest, imageTag="v1")
    key = aws(moto, "kms").create_key()["KeyMetadata"]["KeyId"]
    ec2 = aws(moto, "ec2")
    vpc_a = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpc_b = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc_a, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    subnet_a2 = ec2.create_subnet(VpcId=vpc_a, CidrBlock="10.1.2.0/24")["Subnet"]["SubnetId"]
    subnet_b = ec2.create_subnet(VpcId=vpc_b, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    sg_a = ec2.create_security_group(GroupName="sm", Description="sm", VpcId=vpc_a)["GroupId"]
    # moto imports a service's backend on its first request, in this process: done here, so the
    # timing below measures smjob, not moto's cold start
    aws(moto, "sagemaker").list_training_jobs()
    aws(moto, "sts").get_caller_identity()
    return {
        "key": key,
        "subnets": (subnet_a, subnet_a2, subnet_b),
        "sg": sg_a,
        "vpcs": (vpc_a, vpc_b),
    }


def clean_job(ids) -> dict:
    return {
        "TrainingJobName": "clean-job",
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sm-good",
        "AlgorithmSpecification": {
            "TrainingImage": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/trainer:v1",
            "TrainingInputMode": "File",
        },
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data-here/train/"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://data-here/out/", "KmsKeyId": ids["key"]},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
        "VpcConfig": {"Subnets": list(ids["subnets"][:2]), "SecurityGroupIds": [ids["sg"]]},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
