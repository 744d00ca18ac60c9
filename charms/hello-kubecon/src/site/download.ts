/**
 * Downloading the site: one GET with a deadline for the whole transfer and a size cap, into
 * memory (a zip is read from its end, and a site is small).
 * @module
 */
import { SiteError } from '../errors.ts';
import { redact } from '../urls.ts';

/** Options of {@link download}. */
export interface DownloadOptions {
  /** Required: the deadline for the whole download (headers and body), in milliseconds. */
  readonly timeoutMs: number;
  /** Optional: the most bytes accepted. Default 128 MiB. */
  readonly maxBytes?: number;
}

/** What a download brought. */
export interface Download {
  readonly body: Buffer;
  /** The media type the server declared (`text/html`), lowercase, without parameters; '' when none. */
  readonly mediaType: string;
}

/**
 * Downloads `url` (redirects followed) and returns its body and declared media type.
 * Throws `SiteError`: `BAD_URL` (not http/https), `TIMEOUT`, `DOWNLOAD` (connection refused,
 * DNS, an HTTP status other than 2xx), `TOO_LARGE`. Messages carry the URL without credentials.
 */
export async function download(url: string, options: DownloadOptions): Promise<Download> {
  const shown = redact(url);
  const max = options.maxBytes ?? 128 * 1024 * 1024;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SiteError('BAD_URL', `site-url ${JSON.stringify(shown)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SiteError('BAD_URL', `site-url must be http or https, not ${parsed.protocol}`);
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seconds = `${options.timeoutMs / 1000} s`;
  try {
    const response = await fetch(parsed, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new SiteError(
        'DOWNLOAD',
        `GET ${shown} answered HTTP ${response.status}: check site-url`,
      );
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > max) {
      await response.body?.cancel();
      throw new SiteError(
        'TOO_LARGE',
        `${shown} is ${declared} bytes, more than the ${max} accepted`,
      );
    }
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of response.body ?? []) {
      length += chunk.length;
      if (length > max)
        throw new SiteError('TOO_LARGE', `${shown} is more than the ${max} bytes accepted`);
      chunks.push(Buffer.from(chunk));
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    return { body: Buffer.concat(chunks, length), mediaType: mediaType.trim().toLowerCase() };
  } catch (error) {
    if (error instanceof SiteError) throw error;
    if (signal.aborted) {
      throw new SiteError(
        'TIMEOUT',
        `${shown} did not answer in full within ${seconds}: check the URL or raise the timeout param`,
        { cause: error },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new SiteError('DOWNLOAD', `cannot download ${shown}: ${redact(String(why))}`, {
      cause: error,
    });
  }
}
