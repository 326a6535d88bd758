/** One raw HTTP request to an emulator, its JSON answer parsed: for tests of the emulator's own contract. */
import type { Emulator } from "../../src/emulator/server.js";

export async function call(emulator: Emulator, method: string, path: string, body?: unknown) {
  const response = await fetch(emulator.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
