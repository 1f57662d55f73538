"""LocalOpenAI: an OpenAI-compatible HTTP server answering with the offline providers.

Speaks enough of the API for the real `openai` SDK: `/v1/embeddings` (`dimensions`,
`encoding_format` float or base64), `/v1/chat/completions` (structured output with
`response_format` json_schema), `/v1/models`; Bearer keys (401 in OpenAI's error shape).
It records every request and can be told to fail, answer slowly or refuse, so the SDK's
retries and our error mapping are exercised over real HTTP.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np

from odoo_engines.core.errors import EngineError
from odoo_engines.core.settings import LOCAL_EMBEDDING_MODEL
from odoo_engines.embeddings.local import LOCAL_DIMENSIONS, encode_locally

from .local_http import IncomingRequest, LocalHttpServer, Reply

EMBEDDING_MODELS = (
    LOCAL_EMBEDDING_MODEL,
    "text-embedding-3-small",
    "text-embedding-3-large",
)
CHAT_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1")
# The real API's limits, checked with a plain 4-bytes-per-token estimate (closer to the
# real tokenizer than the client's conservative one, so the client's batching is tested).
MAX_INPUTS = 2048
MAX_INPUT_TOKENS = 8192
MAX_REQUEST_TOKENS = 300_000
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "requests",
}
REFUSAL = "I'm sorry, but I can't help with that request."


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received, and the status it answered."""

    method: str
    path: str
    headers: dict
    json: Any
    status: int
    received_at: float  # time.time()


class _ApiError(Exception):
    def __init__(
        self, status: int, message: str, code: str | None = None, param: str | None = None
    ):
        super().__init__(message)
        self.reply = Reply(status, _error_body(status, message, code, param))


def _error_body(
    status: int, message: str, code: str | None = None, param: str | None = None
) -> dict:
    kind = _ERROR_TYPES.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text.encode("utf-8")) / 4))


class LocalOpenAI(LocalHttpServer):
    """OpenAI-compatible server on 127.0.0.1; `url` ends in `/v1`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None):
        super().__init__(host, port)
        self.api_key = api_key or f"sk-local-{secrets.token_hex(12)}"
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._faults: list[tuple[int, int | None]] = []  # (status, retry_after_ms) per request
        self._refusals = 0
        self._corruptions = 0
        self._latency = 0.0
        self._generator = None

    @property
    def url(self) -> str:
        """The base URL for OPENAI_BASE_URL (ends in `/v1`)."""
        return f"{self.base_url}/v1"

    # -- test controls -------------------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 429, retry_after_ms: int | None = 50) -> None:
        """Answer the next `n` API requests with `status` (and a `retry-after-ms` header)."""
        with self._lock:
            self._faults.extend([(status, retry_after_ms)] * n)

    def set_latency(self, seconds: float) -> None:
        """Wait this long before answering each request (0 to stop)."""
        self._latency = seconds

    def refuse_next(self, n: int = 1) -> None:
        """The next `n` chat completions answer with a refusal instead of content."""
        with self._lock:
            self._refusals += n

    def corrupt_next(self, n: int = 1) -> None:
        """The next `n` chat completions answer with content that is not JSON."""
        with self._lock:
            self._corruptions += n

    def reset(self) -> None:
        """Forget recorded requests and pending faults."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()
            self._refusals = self._corruptions = 0
            self._latency = 0.0

    def calls(self, path: str) -> int:
        """How many requests reached `path` (e.g. "/v1/embeddings"), failed ones included."""
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    # -- serving -------------------------------------------------------------------
    def handle(self, request: IncomingRequest) -> Reply:
        if self._latency:
            time.sleep(self._latency)
        try:
            reply = self._route(request)
        except _ApiError as exc:
            reply = exc.reply
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.path,
                    headers=_redacted(request.headers),
                    json=request.json(),
                    status=reply.status,
                    received_at=request.received_at.timestamp(),
                )
            )
        return reply

    def _route(self, request: IncomingRequest) -> Reply:
        self._check_key(request)
        fault = self._next_fault()
        if fault is not None:
            status, retry_after_ms = fault
            headers = {}
            if retry_after_ms is not None:
                headers["retry-after-ms"] = str(retry_after_ms)
                headers["retry-after"] = str(max(1, math.ceil(retry_after_ms / 1000)))
            message = "Rate limit reached" if status == 429 else "The server had an error"
            return Reply(status, _error_body(status, message), headers)
        routes = {
            ("GET", "/v1/models"): self._models,
            ("POST", "/v1/embeddings"): self._embeddings,
            ("POST", "/v1/chat/completions"): self._chat,
        }
        view = routes.get((request.method, request.path.rstrip("/")))
        if view is None:
            raise _ApiError(404, f"Invalid URL ({request.method} {request.path})")
        if request.method == "POST":
            body = request.json()
            if not isinstance(body, dict):
                raise _ApiError(400, "We could not parse the JSON body of your request.")
            return view(body)
        return view()

    def _check_key(self, request: IncomingRequest) -> None:
        given = request.headers.get("authorization", "")
        scheme, _, key = given.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            key.strip().encode(), self.api_key.encode()
        ):
            masked = f"{key[:3]}***{key[-4:]}" if len(key) > 8 else "***"
            raise _ApiError(401, f"Incorrect API key provided: {masked}.", code="invalid_api_key")

    def _next_fault(self) -> tuple[int, int | None] | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def _models(self) -> Reply:
        now = int(time.time())
        models = [
            {"id": name, "object": "model", "created": now, "owned_by": "odoo-engines-sandbox"}
            for name in EMBEDDING_MODELS + CHAT_MODELS
        ]
        return Reply(200, {"object": "list", "data": models})

    @staticmethod
    def _model(body: dict, known: tuple[str, ...]) -> str:
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise _ApiError(400, "you must provide a model parameter", param="model")
        if model not in known:
            raise _ApiError(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        return model

    def _embeddings(self, body: dict) -> Reply:
        model = self._model(body, EMBEDDING_MODELS)
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise _ApiError(
                400, "'$.input' is invalid: give a string or a list of strings.", param="input"
            )
        if len(texts) > MAX_INPUTS:
            raise _ApiError(
                400, f"'$.input' is too long: at most {MAX_INPUTS} inputs.", param="input"
            )
        if any(t == "" for t in texts):
            raise _ApiError(400, "'$.input' is invalid: an input is empty.", param="input")
        counts = [_tokens(t) for t in texts]
        if max(counts) > MAX_INPUT_TOKENS:
            raise _ApiError(
                400,
                f"This model's maximum context length is {MAX_INPUT_TOKENS} tokens, "
                f"however you requested {max(counts)} tokens.",
                param="input",
            )
        if sum(counts) > MAX_REQUEST_TOKENS:
            raise _ApiError(
                400,
                f"Requested {sum(counts)} tokens, max {MAX_REQUEST_TOKENS} tokens per request",
                code="max_tokens_per_request",
            )
        dimensions = body.get("dimensions", LOCAL_DIMENSIONS)
        if not isinstance(dimensions, int) or not 1 <= dimensions <= LOCAL_DIMENSIONS:
            raise _ApiError(
                400, f"dimensions must be between 1 and {LOCAL_DIMENSIONS}", param="dimensions"
            )
        encoding = body.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            raise _ApiError(400, "encoding_format must be float or base64", param="encoding_format")
        # Identical inputs are encoded once (tests send long repeated texts).
        unique = list(dict.fromkeys(texts))
        row = {text: i for i, text in enumerate(unique)}
        vectors = encode_locally(unique)[[row[t] for t in texts], :dimensions]
        # Shortened like text-embedding-3: cut, then scaled back to unit length.
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)
        vectors = vectors.astype("<f4")
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": base64.b64encode(v.tobytes()).decode()
                if encoding == "base64"
                else v.tolist(),
            }
            for i, v in enumerate(vectors)
        ]
        usage = {"prompt_tokens": sum(counts), "total_tokens": sum(counts)}
        return Reply(200, {"object": "list", "data": data, "model": model, "usage": usage})

    def _chat(self, body: dict) -> Reply:
        model = self._model(body, CHAT_MODELS)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _ApiError(400, "'messages' must be a non-empty list", param="messages")
        system = "\n".join(_text(m) for m in messages if m.get("role") in ("system", "developer"))
        user = "\n".join(_text(m) for m in messages if m.get("role") == "user")
        content, refusal = self._answer(system, user, body.get("response_format"))
        message = {"role": "assistant", "content": content, "refusal": refusal}
        prompt_tokens = _tokens(system + user)
        completion_tokens = _tokens(content or refusal or "")
        return Reply(
            200,
            {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    def _answer(
        self, system: str, user: str, response_format: Any
    ) -> tuple[str | None, str | None]:
        with self._lock:
            if self._refusals:
                self._refusals -= 1
                return None, REFUSAL
            corrupt = self._corruptions > 0
            self._corruptions -= corrupt
        if corrupt:
            return '{"description": "cut short', None
        generator = self._offline_generator()
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        try:
            if kind == "json_schema":
                spec = response_format.get("json_schema") or {}
                result = generator.complete_json(
                    system, user, spec.get("schema") or {}, spec.get("name") or "answer"
                )
                return json.dumps(result, ensure_ascii=False), None
            if kind == "json_object":
                return json.dumps(
                    generator.complete_json(system, user, {"type": "object"}, "answer")
                ), None
            return generator.write_text(user), None
        except EngineError as exc:
            raise _ApiError(
                400, f"Invalid schema for response_format: {exc}", param="response_format"
            ) from None

    def _offline_generator(self):
        if self._generator is None:
            from odoo_engines.llm.offline import OfflineTextGenerator

            self._generator = OfflineTextGenerator()
        return self._generator


def _redacted(headers: dict) -> dict:
    """The headers with the key hidden (recordings end up in test output)."""
    return {k: ("Bearer ***" if k == "authorization" else v) for k, v in headers.items()}


def _text(message: dict) -> str:
    """A message's text, whether `content` is a string or a list of text parts."""
    content = message.get("content")
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""
