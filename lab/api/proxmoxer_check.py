"""Outside client check: Debian's python3-proxmoxer against the lab.

Usage: /usr/bin/python3 proxmoxer_check.py <port> <ca-cert> <password|token> <user> <secret>
Prints one JSON line with what it saw. The lab's own CA file is passed as
verify_ssl, so TLS is verified (no verification bypass).
"""
import json
import sys

from proxmoxer import ProxmoxAPI

port, ca, mode, user, secret = sys.argv[1:6]
if mode == "password":
    api = ProxmoxAPI("127.0.0.1", port=int(port), user=user, password=secret, verify_ssl=ca)
else:
    name, value = secret.split("=", 1)
    api = ProxmoxAPI("127.0.0.1", port=int(port), user=user, token_name=name, token_value=value, verify_ssl=ca)

resources = api.cluster.resources.get(type="vm")
nodes = api.nodes.get()
version = api.version.get()
print(json.dumps({
    "vms": sorted(r["vmid"] for r in resources),
    "nodes": sorted(n["node"] for n in nodes),
    "version": version["version"],
}))
