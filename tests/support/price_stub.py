"""The AWS Price List API as AWS documents it (DescribeServices, GetAttributeValues, GetProducts),
for tests/support/json_stub.py: SageMaker training prices per instance type in us-east-1."""

import json

HOURLY = {"ml.c5.xlarge": "0.2300000000", "ml.p4d.24xlarge": "37.6880000000", "ml.g5.2xlarge": "1.5150000000"}
REGION_NAMES = {"us-east-1": "US East (N. Virginia)"}


def product(instance: str, usd: str, *, component: str = "Training", usagetype: str | None = None) -> str:
    """One GetProducts PriceList entry in the documented shape (a JSON document as a string)."""
    sku = f"SKU{abs(hash((instance, component, usagetype))) % 10**8:08d}"
    usage = usagetype or f"USE1-Train:{instance}"
    return json.dumps(
        {
            "product": {
                "productFamily": "ML Instance",
                "attributes": {
                    "servicecode": "AmazonSageMaker",
                    "location": "US East (N. Virginia)",
                    "locationType": "AWS Region",
                    "regionCode": "us-east-1",
                    "instanceName": instance,
                    "component": component,
                    "usagetype": usage,
                    "operation": "RunInstance",
                    "servicename": "Amazon SageMaker",
                },
                "sku": sku,
            },
            "serviceCode": "AmazonSageMaker",
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            f"{sku}.JRTCKXETXF.6YS6EN2CT7": {
                                "unit": "Hrs",
                                "endRange": "Inf",
                                "description": f"${float(usd):g} per Hour for {instance} in US East (N. Virginia)",
                                "appliesTo": [],
                                "rateCode": f"{sku}.JRTCKXETXF.6YS6EN2CT7",
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-11-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20261101000000",
            "publicationDate": "2026-11-01T00:00:00Z",
        }
    )


def price_list_handlers(hourly=HOURLY, extra=()):
    def describe_services(body):
        assert body["ServiceCode"] == "AmazonSageMaker"
        names = ["component", "instanceName", "location", "regionCode", "usagetype", "vCpu", "servicecode"]
        return {"Services": [{"ServiceCode": "AmazonSageMaker", "AttributeNames": names}], "FormatVersion": "aws_v1"}

    def attribute_values(body):
        assert body["AttributeName"] == "component"
        if body.get("NextToken") != "page2":  # two pages: smjob must follow NextToken
            return {"AttributeValues": [{"Value": "Hosting"}, {"Value": "Notebook"}], "NextToken": "page2"}
        return {"AttributeValues": [{"Value": "Training"}, {"Value": "Processing"}]}

    def get_products(body):
        f = {x["Field"]: x["Value"] for x in body["Filters"]}
        if f.get("regionCode") != "us-east-1" or f.get("component") != "Training":
            return {"FormatVersion": "aws_v1", "PriceList": []}
        instance = f.get("instanceName")
        items = [product(instance, hourly[instance])] if instance in hourly else []
        # a spot usage line and hosting of the same type must not be taken for the training price
        items.append(product(instance, "0.0001", usagetype=f"USE1-Train-Spot:{instance}"))
        items += [product(instance, usd) for (t, usd) in extra if t == instance]
        return {"FormatVersion": "aws_v1", "PriceList": items}

    return {
        "AWSPriceListService.DescribeServices": describe_services,
        "AWSPriceListService.GetAttributeValues": attribute_values,
        "AWSPriceListService.GetProducts": get_products,
    }
