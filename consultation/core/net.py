"""The client's network address, as trusted for rate limits and logs.

X-Forwarded-For is honoured only through ProxyFix for the number of proxies the operator
declares (`PROXY_COUNT`); a forged header from a client is therefore ignored.
"""

from flask import request


def client_address() -> str:
    return request.remote_addr or "unknown"
