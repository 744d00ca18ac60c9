/**
 * The error for a non-200 answer to a raw request (logs, metrics), read from Pebble's error
 * envelope when there is one.
 * @module
 */
import { APIError, NotSupportedError } from '../errors.ts';

/** Builds `NotSupportedError` for an unknown endpoint, else `APIError` with Pebble's message. */
export function rawError(endpoint: string, status: number, text: string): APIError {
  let message = `HTTP ${status}`;
  let kind: string | undefined;
  try {
    const result = (JSON.parse(text) as { result?: { message?: string; kind?: string } }).result;
    message = result?.message ?? message;
    kind = result?.kind;
  } catch {
    // Not an error envelope: keep the status as the message.
  }
  if (status === 404 && message === 'invalid API endpoint requested') {
    return new NotSupportedError(endpoint, message);
  }
  return new APIError(status, message, kind);
}
