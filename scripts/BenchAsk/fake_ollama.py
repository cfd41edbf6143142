#!/usr/bin/env python3
"""A stand-in Ollama for scripts/bench-ask: /api/chat answers TOKENS words, one every DELAY_MS milliseconds (streamed
as Ollama's NDJSON, or all at once when "stream": false), and /api/tags lists the model. Usage: PORT TOKENS DELAY_MS."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, TOKENS, DELAY = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = json.dumps({"models": [{"name": "bench:latest", "model": "bench:latest"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        words = [f"word{i} " for i in range(TOKENS)]
        if request.get("stream", True):
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for word in words:
                time.sleep(DELAY)
                self.chunk({"model": "bench", "message": {"role": "assistant", "content": word}, "done": False})
            self.chunk({"model": "bench", "message": {"role": "assistant", "content": ""}, "done": True,
                        "done_reason": "stop", "prompt_eval_count": 10, "eval_count": TOKENS})
            self.wfile.write(b"0\r\n\r\n")
        else:
            time.sleep(DELAY * TOKENS)
            body = json.dumps({"model": "bench", "message": {"role": "assistant", "content": "".join(words)}, "done": True,
                               "done_reason": "stop", "prompt_eval_count": 10, "eval_count": TOKENS}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def chunk(self, value):
        data = (json.dumps(value) + "\n").encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
