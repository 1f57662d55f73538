// The enrich function's JSON API, with the API key when the function asks for one.

const KEY = "enrich-api-key";
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Called with no argument when a request answers 401 (the page then asks for the key). */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

/** JSON of `path`; an ApiError carrying the API's own message when it answers an error. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY);
  if (key) headers["X-Enrich-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "the server cannot be reached; is it running?");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    const message = (data && data.error) || `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return data;
}
