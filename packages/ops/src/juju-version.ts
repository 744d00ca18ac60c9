/**
 * `JUJU_VERSION` parsing and the feature gates that depend on it.
 * @module
 */

/** A parsed Juju version, e.g. `3.6.4`. */
export interface JujuVersion {
  major: number;
  minor: number;
  patch: number;
  /** The text it was parsed from. */
  text: string;
}

/** Parses `3.6.4`, `3.6-beta1`, `4.0.0.1`; an unparseable or absent one reads as `0.0.0`. */
export function parseJujuVersion(text: string | undefined): JujuVersion {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text ?? '');
  if (!m) return { major: 0, minor: 0, patch: 0, text: text ?? '0.0.0' };
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: text ?? '' };
}

/** True when `v` is at least `min` (`3.4`, `3.6.2`). */
export function versionAtLeast(v: JujuVersion, min: string): boolean {
  const [major = 0, minor = 0, patch = 0] = min.split('.').map(Number);
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}
