/**
 * Metrics (Pebble ≥ 1.19): OpenMetrics text from `GET /v1/metrics`.
 * @module
 */
import { rawError } from './internal/raw-error.ts';
import { type Requester, readText } from './internal/requester.ts';
import type { RequestOptions } from './types.ts';

/**
 * Returns Pebble's metrics as OpenMetrics text, unparsed.
 * @throws NotSupportedError (Pebble < 1.19); APIError (401 without metrics access);
 *   ConnectionError.
 */
export async function getMetrics(rq: Requester, options: RequestOptions = {}): Promise<string> {
  const response = await rq.raw({
    type: 'raw',
    method: 'GET',
    path: '/v1/metrics',
    signal: options.signal,
  });
  const text = await readText(response.body);
  if (response.status === 200) return text;
  throw rawError('GET /v1/metrics', response.status, text);
}
