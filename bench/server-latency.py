#!/usr/bin/env python3
"""Latency of `seaworthy server`: from a `didChange` to the diagnostics it
publishes for the edited file. Usage:

    bench/server-latency.py SEAWORTHY_BINARY FILE [ROUNDS]

FILE is opened in its folder (the workspace); each round appends a comment
line to it and times the round trip. Prints the median and the worst."""
import json, os, statistics, subprocess, sys, time

binary, path = sys.argv[1], os.path.abspath(sys.argv[2])
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
proc = subprocess.Popen([binary, "server", "--stdio"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def receive():
    length = 0
    while True:
        line = proc.stdout.readline().strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))

def published(uri):
    while True:
        m = receive()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return m

uri = "file://" + path
root = "file://" + os.path.dirname(path)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"capabilities": {}, "rootUri": root,
                 "workspaceFolders": [{"uri": root, "name": "bench"}]}})
receive()
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
text = open(path, encoding="utf-8").read()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
published(uri)
times = []
for i in range(rounds):
    text += "# edit %d\n" % i
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": i + 2},
                     "contentChanges": [{"text": text}]}})
    published(uri)
    times.append((time.perf_counter() - start) * 1000)
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
send({"jsonrpc": "2.0", "method": "exit", "params": None})
print("%s: median %.1f ms, worst %.1f ms over %d edits (10 ms of each is the debounce)"
      % (os.path.relpath(path), statistics.median(times), max(times), rounds))
