#!/usr/bin/env python3
"""A scripted LLM server on the loopback interface for ksynth synth's agent
tests (issue 16): it speaks OpenAI Chat Completions (POST
/v1/chat/completions) and Anthropic Messages (POST /v1/messages) and answers
each request with the next step of a script, in order:

  {"reply": TEXT, "usage": [IN, OUT]}  the model's reply in the format of
                                       the request's path
  {"status": N, "retry_after": S, "error": MSG}  an HTTP error (429, 500,
                                       401, 404...) with a JSON error body
  {"raw": TEXT}                        200 with TEXT as the body (not JSON)
  {"stall": SECONDS}                   200, half a body, then silence
  {"oversize": BYTES}                  200 with a body of BYTES bytes

After the script: a reply without code ("I have no more ideas."). Every
request is appended to LOG (one JSON line: path, whether the key header
matched --key, the anthropic-version header, the prompt text, the step's
index) so the test can read what ksynth sent; the key itself is never
written there.

usage: llm_test_server.py SCRIPT.json LOG.jsonl --key KEY [--tls CERT KEY]
Prints "PORT <n>" on the first line of stdout once listening (port 0: the
kernel picks a free one on 127.0.0.1).
"""
import argparse
import http.server
import json
import socketserver
import ssl
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("script")
ap.add_argument("log")
ap.add_argument("--key", default="")
ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                help="serve https with this certificate and key")
args = ap.parse_args()
with open(args.script) as f:
    SCRIPT = json.load(f)
lock = threading.Lock()
state = {"next": 0}


def reply_body(path, text, usage):
    if path.endswith("/v1/messages"):
        return {"id": "msg_test", "type": "message", "role": "assistant",
                "content": [{"type": "text", "text": text}],
                "usage": {"input_tokens": usage[0], "output_tokens": usage[1]}}
    return {"id": "chatcmpl-test", "object": "chat.completion",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": usage[0],
                      "completion_tokens": usage[1]}}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        try:
            req = json.loads(raw)
        except ValueError:
            req = {}
        path = self.path
        if path.endswith("/v1/messages"):
            got = self.headers.get("x-api-key", "")
            prompt = "".join(m.get("content", "")
                             for m in req.get("messages", []))
        else:
            got = self.headers.get("Authorization", "")
            got = got[len("Bearer "):] if got.startswith("Bearer ") else got
            prompt = "".join(m.get("content", "")
                             for m in req.get("messages", [])
                             if m.get("role") == "user")
        with lock:
            i = state["next"]
            state["next"] += 1
        step = SCRIPT[i] if i < len(SCRIPT) else {
            "reply": "I have no more ideas.", "usage": [10, 5]}
        with lock, open(args.log, "a") as f:
            f.write(json.dumps({
                "path": path, "step": i, "model": req.get("model"),
                "key_ok": bool(args.key) and got == args.key,
                "anthropic_version": self.headers.get("anthropic-version"),
                "prompt": prompt}) + "\n")
        if "reply" in step:
            self.send(200, json.dumps(reply_body(
                path, step["reply"], step.get("usage", [100, 50]))))
        elif "status" in step:
            hdr = []
            if "retry_after" in step:
                hdr.append(("Retry-After", str(step["retry_after"])))
            err = {"error": {"message": step.get("error", "scripted error"),
                             "type": "test", "code": step.get("code")}}
            self.send(step["status"], json.dumps(err), hdr)
        elif "raw" in step:
            self.send(200, step["raw"])
        elif "stall" in step:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"choices": [')
            self.wfile.flush()
            time.sleep(step["stall"])
            self.close_connection = True
        elif "oversize" in step:
            self.send(200, b"x" * step["oversize"])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # ksynth hangs up on an oversized or stalled reply: expected.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError,
                                              ConnectionResetError,
                                              ssl.SSLError)):
            super().handle_error(request, client_address)


srv = Server(("127.0.0.1", 0), Handler)
if args.tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.tls[0], args.tls[1])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("PORT", srv.server_address[1], flush=True)
srv.serve_forever()
