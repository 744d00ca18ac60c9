/**
 * URL checks for the charm's config: both options must be absolute http(s) URLs.
 * @module
 */

/** Why `value` is not a usable http(s) URL for option `key`, or undefined when it is. */
export function urlProblem(key: string, value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${key} is not a URL (${JSON.stringify(redact(value))}): set an http(s) URL with 'juju config <app> ${key}=https://…'`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${key} must be an http or https URL, not ${url.protocol.slice(0, -1)}: set it with 'juju config <app> ${key}=https://…'`;
  }
  return undefined;
}

/** `value` without the user:password part of a URL, so credentials never reach a log or status. */
export function redact(value: string): string {
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return value;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return value.replace(/\/\/[^/@\s]*@/, '//');
  }
}
