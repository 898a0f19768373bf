"""A local SageMaker-compatible endpoint (moto), for trying submit/watch/history without AWS.

    with LocalEndpoint() as ep:              # moto's ThreadedMotoServer in this process (fast)
        target = ep.target()
    ep = start_subprocess()                  # a moto server in a child process, seeded (below)
    ...; ep.stop()                           # (also stopped at interpreter exit)
    seed_account(ep)                         # a small realistic account: roles, buckets, VPC, key, ECR

Both listen on 127.0.0.1 only. `env()` gives the dummy credentials and region to run the app
or the AWS CLI against it. moto accepts anything and reports every job Completed at once; it
does not implement StopTrainingJob (HTTP 500). `start_subprocess()` (what `smjob demo --local`
and `make run` use) seeds the account in the child once the server is up, so every picker has
something to show with no AWS account; the parent never waits for boto3 to import.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"
REGION = "us-east-1"
START_TIMEOUT = 10.0


class LocalEndpointError(RuntimeError):
    pass


def _silence_werkzeug() -> None:
    # werkzeug logs every request (and tracebacks of moto's NotImplementedError) to stderr,
    # which would draw over a full-screen app. CRITICAL keeps its first-use default handler quiet.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _answers(url: str, timeout: float = 1.0) -> bool:
    try:
        urllib.request.urlopen(url + "/", timeout=timeout).close()
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except (OSError, ValueError):
        return False


class LocalEndpoint:
    """A moto server on loopback: in this process (default) or as a child process."""

    def __init__(
        self,
        *,
        port: int = 0,
        region: str = REGION,
        in_subprocess: bool = False,
        start_timeout: float = START_TIMEOUT,
        seed: bool = False,
    ) -> None:
        self.seed = seed  # in a child process: seed_account() there, once it answers
        self.port = port
        self.region = region
        self.use_subprocess = in_subprocess
        self.start_timeout = start_timeout
        self._server = None
        self._proc: subprocess.Popen | None = None
        self._url: str | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> LocalEndpoint:
        if self._url:
            return self
        if self.use_subprocess:
            self._start_process()
        else:
            self._start_thread()
        atexit.register(self.stop)
        return self

    def _start_thread(self) -> None:
        _silence_werkzeug()
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address=HOST, port=self.port, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        self._server, self.port, self._url = server, port, f"http://{host}:{port}"
        self._wait_until_up()

    def _start_process(self) -> None:
        fixed = self.port
        last = "it did not start"
        for _ in range(1 if fixed else 3):  # a free port can be taken between choosing and binding
            port = fixed or free_port()
            command = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]
            if self.seed:
                command = [sys.executable, "-m", "smjob.local_endpoint", "--seed", "--port", str(port), self.region]
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if self.seed else subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )  # Ctrl-C in the terminal goes to the app, not to the server
            self._proc, self.port, self._url = proc, port, f"http://{HOST}:{port}"
            try:
                self._wait_until_up()
                if self.seed:
                    self._wait_until_seeded()
                return
            except LocalEndpointError as exc:
                last = str(exc)
                self._stop_process()
                self._url, self.port = None, fixed
        raise LocalEndpointError(f"the local endpoint did not start: {last}")

    def _wait_until_seeded(self) -> None:
        """The child prints one line once the account is seeded: lookups made before that would cache
        an empty account (no repositories, no roles)."""
        import select

        deadline = time.monotonic() + self.start_timeout
        stream = self._proc.stdout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([stream], [], [], 0.1)
            if ready:
                stream.readline()  # "seeded", or "" if the child died: either way, go on
                return
        raise LocalEndpointError(f"the local endpoint was not seeded within {self.start_timeout:g} s")

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise LocalEndpointError(f"moto.server exited with code {self._proc.returncode}")
            if _answers(self._url):
                return
            time.sleep(0.05)
        raise LocalEndpointError(f"no answer from {self._url} within {self.start_timeout:g} s")

    def stop(self) -> None:
        atexit.unregister(self.stop)
        if self._server is not None:
            server, self._server = self._server, None
            server.stop()
        self._stop_process()
        self._url = None

    def _stop_process(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def __enter__(self) -> LocalEndpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- using it -------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def url(self) -> str:
        if not self._url:
            raise LocalEndpointError("the local endpoint is not running")
        return self._url

    def env(self) -> dict[str, str]:
        """Environment for a process that should talk to this endpoint (dummy credentials)."""
        return {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.url,
        }

    def target(self):
        from smjob.aws import Target

        return Target(profile=None, region=self.region, endpoint_url=self.url)

    def reset(self) -> None:
        """Forget every job (POST /moto-api/reset)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(request, timeout=10).close()


def start_subprocess(
    *, port: int = 0, region: str = REGION, timeout: float = START_TIMEOUT, seed: bool = True
) -> LocalEndpoint:
    """Start a moto server on 127.0.0.1 in a child process and wait until it answers (<= `timeout` s).
    With `seed`, the child then fills it with `seed_account`, and this returns once that is done."""
    return LocalEndpoint(port=port, region=region, in_subprocess=True, start_timeout=timeout, seed=seed).start()


# --- a small realistic account ------------------------------------------------------------------

ACCOUNT = "123456789012"  # moto's
SAGEMAKER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
DATA_BUCKET = "acme-ml-datasets"
DATA_OBJECTS = {
    "train/part-0000.csv": b"label,f1,f2\n1,0.5,0.25\n",
    "train/part-0001.csv": b"label,f1,f2\n0,0.1,0.75\n",
    "train/part-0002.csv": b"label,f1,f2\n1,0.9,0.05\n",
    "validation/part-0000.csv": b"label,f1,f2\n0,0.3,0.6\n",
    "README.txt": b"churn features, daily export\n",
}
ECR_REPOSITORY = "acme/churn-training"


def _manifest(layer: str) -> str:
    import hashlib
    import json

    def digest(text: str) -> str:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 7023,
                "digest": digest(layer + "config"),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 32654,
                    "digest": digest(layer),
                }
            ],
        }
    )


def _client_kw(endpoint, region: str | None) -> tuple[str, dict]:
    """The region and boto3 client arguments for a local endpoint (a LocalEndpoint or its URL)."""
    url = endpoint if isinstance(endpoint, str) else endpoint.url
    region = region or getattr(endpoint, "region", None) or REGION
    kw = {
        "endpoint_url": url,
        "region_name": region,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    return region, kw


def seed_account(endpoint, region: str | None = None) -> dict:
    """Fill a local endpoint (a LocalEndpoint or its URL) with a small account: an execution role
    SageMaker can assume and one it cannot, the SDK's default bucket and a data bucket with train/
    and validation/, a VPC with subnets in two zones and two security groups, a KMS key with an
    alias, an ECR repository with two tagged images. Returns what it made (names and ids)."""
    import json

    import boto3

    region, kw = _client_kw(endpoint, region)
    iam, s3, ec2, kms, ecr = (boto3.client(s, **kw) for s in ("iam", "s3", "ec2", "kms", "ecr"))
    made: dict = {}
    roles = {"SageMakerExecutionRole": SAGEMAKER_TRUST, "DataPipelineLambdaRole": LAMBDA_TRUST}
    for name, trust in roles.items():
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), Description=f"{name} (demo)")
    made["roles"] = list(roles)

    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    default = f"sagemaker-{region}-{ACCOUNT}"
    for bucket in (default, DATA_BUCKET):
        s3.create_bucket(Bucket=bucket, **location)
    for key, body in DATA_OBJECTS.items():
        s3.put_object(Bucket=DATA_BUCKET, Key=key, Body=body)
    made["buckets"] = [default, DATA_BUCKET]

    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "ml-training"}])
    subnets = []
    for i, zone in enumerate(("a", "b")):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{region}{zone}")
        subnets.append(subnet["Subnet"]["SubnetId"])
        ec2.create_tags(Resources=subnets[-1:], Tags=[{"Key": "Name", "Value": f"ml-private-{zone}"}])
    groups = [
        ec2.create_security_group(GroupName=name, Description=text, VpcId=vpc)["GroupId"]
        for name, text in (("sagemaker-training", "training jobs"), ("sagemaker-efa", "EFA between nodes"))
    ]
    made.update(vpc=vpc, subnets=subnets, security_groups=groups)

    key = kms.create_key(Description="SageMaker training volumes and output")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/sagemaker-training", TargetKeyId=key)
    made["kms_key"] = key

    ecr.create_repository(repositoryName=ECR_REPOSITORY)
    for tag in ("v1.0", "v1.1"):
        ecr.put_image(repositoryName=ECR_REPOSITORY, imageManifest=_manifest(tag), imageTag=tag)
    made["ecr"] = {ECR_REPOSITORY: ["v1.1", "v1.0"]}
    return made


def seed_for_request(endpoint, request: dict, region: str | None = None) -> list[str]:
    """Make what a demo request names exist in the local account: its role (trusting SageMaker, at its
    path), its buckets, and one object under each input prefix. `make run` opens an example job; with
    this its preflight passes as it would in a prepared account. Read from the request, never listed
    by hand. Returns what it made."""
    import json

    import boto3

    from smjob.rules.s3 import _s3_locations, split_s3

    region, kw = _client_kw(endpoint, region)
    iam, s3 = boto3.client("iam", **kw), boto3.client("s3", **kw)
    made = []
    role = re.fullmatch(rf"arn:aws:iam::{ACCOUNT}:role(/(?:[^/]+/)*)([^/]+)", str(request.get("RoleArn", "")))
    if role:
        with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
            iam.create_role(RoleName=role[2], Path=role[1], AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST))
            made.append(f"role {role[2]}")
    image = (request.get("AlgorithmSpecification") or {}).get("TrainingImage", "")
    own = re.fullmatch(rf"{ACCOUNT}\.dkr\.ecr\.{re.escape(region)}\.amazonaws\.com/([^:@]+):([\w.-]+)", str(image))
    if own:
        ecr = boto3.client("ecr", **kw)
        with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
            ecr.create_repository(repositoryName=own[1])
        with contextlib.suppress(ecr.exceptions.ImageAlreadyExistsException):
            ecr.put_image(repositoryName=own[1], imageManifest=_manifest(own[2]), imageTag=own[2])
            made.append(f"image {own[1]}:{own[2]}")
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    for path, uri in _s3_locations(request):
        parts = split_s3(uri)
        if not parts or not parts[0]:
            continue
        bucket, prefix = parts
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
            s3.create_bucket(Bucket=bucket, **location)
            made.append(f"bucket {bucket}")
        if "InputDataConfig" in path[:1]:  # inputs must not be empty
            key = (prefix.rstrip("/") + "/part-00000.txt").lstrip("/")
            s3.put_object(Bucket=bucket, Key=key, Body=b"demo data\n")
            made.append(f"s3://{bucket}/{key}")
    return made


def _serve(argv: list[str]) -> int:
    """`python -m smjob.local_endpoint --seed --port P [REGION]`: a moto server, seeded once up."""
    import argparse
    import threading

    parser = argparse.ArgumentParser(prog="python -m smjob.local_endpoint")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("region", nargs="?", default=REGION)
    args = parser.parse_args(argv)
    parent = os.getppid()
    endpoint = LocalEndpoint(port=args.port, region=args.region).start()
    if args.seed:
        try:
            seed_account(endpoint)
        except Exception as exc:  # the endpoint still serves; the pickers just show less
            print(f"smjob: seeding the local endpoint failed: {exc}", file=sys.stderr)
        print("seeded", flush=True)
    # The app stops this server when it quits; if the app is killed instead (its terminal closed:
    # SIGHUP), this process is re-parented, and it stops itself.
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    endpoint.stop()
    return 0


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1:]))
