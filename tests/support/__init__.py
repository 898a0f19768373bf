"""Helpers shared by the tests, the benchmarks and the screenshot script; fixtures live in tests/conftest.py.

- moto_server, fault_proxy: a real moto server on loopback, and a fault-injecting proxy in front of it
- awscli: the AWS CLI v1 parser run in-process (the oracle for rendered commands)
- terminal: the installed `smjob` in a private tmux server
- keyboard, waiting: driving the app by keyboard in pilot tests; waits on conditions, never fixed sleeps
- strategies: hypothesis strategies for requests built from the schema
- scenes: how to reach each main screen (snapshot tests and `python -m tests.support.screenshots`)
- bench, bench_request, bench_tmux: `python -m tests.support.bench`
"""
