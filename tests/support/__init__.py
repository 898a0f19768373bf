"""Helpers shared by the tests, the benchmarks and the screenshot script; fixtures live in tests/conftest.py.
Test modules import from here, never from each other.

- moto_server, fault_proxy: a real moto server on loopback, and a fault-injecting proxy in front of it
- json_stub, quota_stub, price_stub: a local HTTP server answering documented AWS JSON (Service
  Quotas, Price List) where moto has no answer
- account: an AWS account in moto with good and bad resources (the `seeded` fixture)
- awscli: the AWS CLI v1 parser run in-process (the oracle for rendered commands)
- terminal: the installed `smjob` in a private tmux server
- keyboard, waiting, screens: driving the app by keyboard in pilot tests; waits on conditions,
  never fixed sleeps; a host app for one screen and the screen's text
- requests, strategies: a valid base request; hypothesis strategies for requests built from the schema
- scenes: how to reach each main screen (snapshot tests and `python -m tests.support.screenshots`)
- bench, bench_request, bench_tmux: `python -m tests.support.bench`
"""
