"""On-demand training prices from the AWS Price List API, and the cost bound of a request.

Prices: the `pricing` client, service code AmazonSageMaker. The attribute names are looked up
with DescribeServices and the training value with GetAttributeValues (not assumed), then
GetProducts filtered by region, instance name and that value. A price is cached on disk (data
dir, prices.json) with the date it was fetched; `refresh=True` asks again. Without permission,
network or an unambiguous answer the price is unknown, with why: never a guess.

The estimate is an upper bound: count x price x MaxRuntime, summed over instance groups, plus
KeepAlivePeriodInSeconds of warm pool. Managed spot is billed at the spot price of the moment,
which smjob cannot know: it shows the on-demand bound and says so, with no invented discount.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

SERVICE_CODE = "AmazonSageMaker"
PRICING_REGION = "us-east-1"  # the Price List API answers in us-east-1 (and ap-south-1, eu-central-1)
DEFAULT_MAX_RUNTIME = 86400  # API_StoppingCondition: MaxRuntimeInSeconds defaults to 1 day
CACHE_NAME = "prices.json"
# What DescribeServices must list: the region, the ml.* instance name and the job kind.
WANTED_ATTRIBUTES = {"region": ("regionCode",), "instance": ("instanceName", "instanceType"), "kind": ("component",)}


@dataclass(frozen=True, slots=True)
class Price:
    instance_type: str
    region: str
    usd_per_hour: float | None
    fetched: str | None = None  # ISO date of the answer (cached prices keep theirs)
    why_unknown: str | None = None
    cached: bool = False

    @property
    def known(self) -> bool:
        return self.usd_per_hour is not None

    def to_dict(self) -> dict:
        return asdict(self)


class PriceLookupError(Exception):
    """Why a price is unknown, in words for the user."""


def _cache_path():
    from smjob.drafts import data_dir

    return data_dir() / CACHE_NAME


def _read_cache() -> dict:
    try:
        data = json.loads(_cache_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_cache(cache: dict) -> None:
    from smjob.files import write_private

    with contextlib.suppress(OSError):  # a cache that cannot be written costs a lookup next time, nothing else
        write_private(_cache_path(), json.dumps(cache, indent=1, sort_keys=True))


def pricing_client(target=None, *, timeout: float = 5.0):
    """A pricing client in the Price List API's region. AWS_ENDPOINT_URL_PRICING (or the target's
    endpoint) reaches another server, e.g. the tests' local one."""
    from smjob.aws.clients import client, service_endpoint
    from smjob.aws.target import Target

    target = target or Target()
    return client(
        Target(target.profile, PRICING_REGION, service_endpoint("pricing", target)),
        service="pricing",
        retries=1,
        connect_timeout=min(timeout, 3.0),
        read_timeout=timeout,
    )


def _explain(exc: Exception) -> str:
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", "")
        if message.lstrip().startswith("<"):  # an HTML error page (a proxy, or an endpoint with no Price List)
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            return (
                f"the endpoint has no Price List API (HTTP {status})"
                if status
                else "the endpoint has no Price List API"
            )
        message = message.splitlines()[0][:200] if message else ""
        if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
            return f"no permission to read the Price List API (pricing:GetProducts): {message}".rstrip(": ")
        return f"the Price List API answered {code or 'an error'}: {message}".rstrip(": ")
    if isinstance(exc, NoCredentialsError):
        return "no AWS credentials to ask the Price List API"
    if isinstance(exc, EndpointConnectionError):
        return f"the Price List API cannot be reached ({exc})"
    return f"the Price List API could not be asked ({type(exc).__name__}: {exc})"


def discover_attributes(pricing) -> dict[str, str]:
    """{"region": "regionCode", "instance": "instanceName", "kind": "component", "training": "Training"}."""
    answer = pricing.describe_services(ServiceCode=SERVICE_CODE, FormatVersion="aws_v1")
    services = [s for s in answer.get("Services", []) if s.get("ServiceCode") == SERVICE_CODE]
    names = set(services[0].get("AttributeNames", [])) if services else set()
    found: dict[str, str] = {}
    for role, candidates in WANTED_ATTRIBUTES.items():
        name = next((c for c in candidates if c in names), None)
        if name is None:
            raise PriceLookupError(
                f"the Price List API lists no {' or '.join(candidates)} attribute for {SERVICE_CODE}"
            )
        found[role] = name
    values = []
    for page in pricing.get_paginator("get_attribute_values").paginate(
        ServiceCode=SERVICE_CODE, AttributeName=found["kind"]
    ):
        values += [v.get("Value", "") for v in page.get("AttributeValues", [])]
    training = next((v for v in values if v.lower() == "training"), None)
    if training is None:
        raise PriceLookupError(f"{found['kind']} has no training value in the Price List API ({', '.join(values)})")
    found["training"] = training
    return found


def on_demand_hourly(price_list_item: str | dict) -> set[float]:
    """The hourly USD prices in one GetProducts PriceList entry (a JSON string in the answer)."""
    item = json.loads(price_list_item) if isinstance(price_list_item, str) else price_list_item
    out = set()
    for term in (item.get("terms", {}).get("OnDemand") or {}).values():
        for dim in (term.get("priceDimensions") or {}).values():
            usd = (dim.get("pricePerUnit") or {}).get("USD")
            if usd is not None and str(dim.get("unit", "")).lower() in ("hrs", "hours", "hour"):
                out.add(float(usd))
    return out


def fetch_price(pricing, instance_type: str, region: str, attributes: dict[str, str]) -> float:
    filters = [
        {"Type": "TERM_MATCH", "Field": attributes["region"], "Value": region},
        {"Type": "TERM_MATCH", "Field": attributes["instance"], "Value": instance_type},
        {"Type": "TERM_MATCH", "Field": attributes["kind"], "Value": attributes["training"]},
    ]
    prices: set[float] = set()
    for page in pricing.get_paginator("get_products").paginate(
        ServiceCode=SERVICE_CODE, Filters=filters, FormatVersion="aws_v1"
    ):
        for entry in page.get("PriceList", []):
            item = json.loads(entry) if isinstance(entry, str) else entry  # a JSON string in the answer
            usage = str(item.get("product", {}).get("attributes", {}).get("usagetype", ""))
            if "spot" not in usage.lower():  # the on-demand product, not a spot usage line
                prices |= on_demand_hourly(item)
    prices.discard(0.0)
    if not prices:
        raise PriceLookupError(f"the Price List API has no on-demand training price for {instance_type} in {region}")
    if len(prices) > 1:
        shown = ", ".join(f"${p:g}" for p in sorted(prices))
        raise PriceLookupError(f"the Price List API gives {len(prices)} training prices for {instance_type} ({shown})")
    return prices.pop()


class PriceBook:
    """Prices for one run (an estimate, a preflight): asks the Price List API at most once per type,
    discovers the attribute names once, and keeps answers in the on-disk cache with their date."""

    def __init__(self, target=None, *, client=None, refresh: bool = False, timeout: float = 5.0, offline=False):
        self.target, self._client, self.refresh, self.timeout, self.offline = target, client, refresh, timeout, offline
        self._cache = _read_cache()
        self._attributes: dict[str, str] | None = None
        self._failure: str | None = None  # the API failed once: do not ask again for every type

    def price(self, instance_type: str, region: str) -> Price:
        key = f"{region}|{instance_type}"
        hit = self._cache.get(key)
        if hit and not self.refresh and isinstance(hit.get("usd"), int | float):
            return Price(instance_type, region, float(hit["usd"]), hit.get("fetched"), cached=True)
        if self.offline:
            return Price(instance_type, region, None, why_unknown="not in the price cache (offline)")
        if self._failure:
            return Price(instance_type, region, None, why_unknown=self._failure)
        try:
            from botocore.exceptions import BotoCoreError, ClientError

            try:
                pricing = self._client or pricing_client(self.target, timeout=self.timeout)
                self._client = pricing
                if self._attributes is None:
                    self._attributes = discover_attributes(pricing)
                usd = fetch_price(pricing, instance_type, region, self._attributes)
            except (ClientError, BotoCoreError) as exc:
                self._failure = _explain(exc)
                return Price(instance_type, region, None, why_unknown=self._failure)
        except PriceLookupError as exc:
            return Price(instance_type, region, None, why_unknown=str(exc))
        except Exception as exc:  # an AwsError from client creation, a malformed document
            return Price(instance_type, region, None, why_unknown=_explain(exc))
        fetched = datetime.now(UTC).strftime("%Y-%m-%d")
        self._cache[key] = {"usd": usd, "fetched": fetched}
        _write_cache(self._cache)
        return Price(instance_type, region, usd, fetched)


# --- the estimate -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostLine:
    path: tuple  # where the type is: ("ResourceConfig", "InstanceType") or ("ResourceConfig", "InstanceGroups", 0, ...)
    instance_type: str
    count: int
    price: Price
    hours: float

    @property
    def usd(self) -> float | None:
        return None if self.price.usd_per_hour is None else self.count * self.price.usd_per_hour * self.hours


@dataclass(frozen=True, slots=True)
class Estimate:
    lines: list[CostLine]
    region: str
    max_runtime_seconds: int
    keep_alive_seconds: int
    spot: bool
    notes: list[str] = field(default_factory=list)

    @property
    def instance_count(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def total_usd(self) -> float | None:
        """The upper bound, or None when any line's price is unknown (a partial sum would mislead)."""
        parts = [line.usd for line in self.lines]
        return None if not parts or any(p is None for p in parts) else sum(parts)

    @property
    def unknown(self) -> list[str]:
        return [f"{line.instance_type}: {line.price.why_unknown}" for line in self.lines if not line.price.known]

    def summary(self) -> str:
        """One line for a status bar: `≤ $152.59 (6 instances, 2h, on-demand bound of spot)`."""
        hours = (self.max_runtime_seconds + self.keep_alive_seconds) / 3600
        if not self.lines:
            return "cost: no instance type"
        total = self.total_usd
        head = f"≤ ${total:,.2f}" if total is not None else "price unknown"
        tail = ", on-demand bound; spot bills the spot price" if self.spot else ""
        return f"{head} ({self.instance_count} instance(s), {hours:g} h{tail})"

    def to_dict(self) -> dict:
        return {
            "region": self.region,
            "total_usd_upper_bound": self.total_usd,
            "instance_count": self.instance_count,
            "max_runtime_seconds": self.max_runtime_seconds,
            "keep_alive_seconds": self.keep_alive_seconds,
            "billed_hours_upper_bound": (self.max_runtime_seconds + self.keep_alive_seconds) / 3600,
            "managed_spot": self.spot,
            "lines": [
                {
                    "path": list(line.path),
                    "instance_type": line.instance_type,
                    "count": line.count,
                    "usd_per_hour": line.price.usd_per_hour,
                    "price_date": line.price.fetched,
                    "usd": line.usd,
                    "why_unknown": line.price.why_unknown,
                }
                for line in self.lines
            ],
            "unknown": self.unknown,
            "notes": self.notes,
        }


def _int(value, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def instance_lines(request: dict) -> list[tuple[tuple, str, int]]:
    """(path of the type, type, count) for the single type or every instance group."""
    rc = request.get("ResourceConfig") if isinstance(request.get("ResourceConfig"), dict) else {}
    groups = rc.get("InstanceGroups")
    if isinstance(groups, list) and groups:
        out = []
        for i, g in enumerate(groups):
            if isinstance(g, dict) and isinstance(g.get("InstanceType"), str):
                out.append(
                    (
                        ("ResourceConfig", "InstanceGroups", i, "InstanceType"),
                        g["InstanceType"],
                        _int(g.get("InstanceCount")),
                    )
                )
        return out
    if isinstance(rc.get("InstanceType"), str):
        return [(("ResourceConfig", "InstanceType"), rc["InstanceType"], _int(rc.get("InstanceCount"), 1))]
    return []


def estimate(request: dict, region: str, price_of: Callable[[str, str], Price]) -> Estimate:
    """The cost upper bound of `request` in `region`; `price_of(type, region)` is e.g. PriceBook().price."""
    stopping = request.get("StoppingCondition") if isinstance(request.get("StoppingCondition"), dict) else {}
    rc = request.get("ResourceConfig") if isinstance(request.get("ResourceConfig"), dict) else {}
    notes = []
    runtime = _int(stopping.get("MaxRuntimeInSeconds"), -1)
    if runtime < 0:
        runtime = DEFAULT_MAX_RUNTIME
        notes.append("no MaxRuntimeInSeconds: SageMaker's default of 1 day bounds the run")
    keep_alive = _int(rc.get("KeepAlivePeriodInSeconds"))
    if keep_alive:
        notes.append(f"warm pool: instances stay billed for KeepAlivePeriodInSeconds ({keep_alive} s) after the job")
    spot = request.get("EnableManagedSpotTraining") is True
    if spot:
        notes.append(
            "managed spot: billed at the spot price of the moment, which is not known in advance; "
            "this is the on-demand upper bound"
        )
    hours = (runtime + keep_alive) / 3600
    lines = [CostLine(path, t, count, price_of(t, region), hours) for path, t, count in instance_lines(request)]
    return Estimate(lines, region, runtime, keep_alive, spot, notes)
