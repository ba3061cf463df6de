"""The launcher lives in tools/ (make eval and the benchmark use it too)."""

from tools.servers import ROOT, Servers, free_port, start_servers  # noqa: F401
