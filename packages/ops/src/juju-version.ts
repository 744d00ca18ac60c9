/**
 * `JujuVersion`: the running Juju's version (`JUJU_VERSION`) and the features that depend on it,
 * so a charm asks `jujuVersion.hasSecrets` rather than comparing numbers itself.
 * @module
 */

const VERSION = /^(\d+)\.(\d+)(?:[.-]([a-z]+)?(\d+))?(?:\.(\d+))?/;

/** A parsed Juju version, e.g. `3.6.4`, `3.6-beta1`, `4.0.0.1`. Immutable. */
export class JujuVersion {
  readonly major: number;
  readonly minor: number;
  /** The patch number (0 for a pre-release such as `3.6-beta1`). */
  readonly patch: number;
  /** `beta`, `rc`, … for a pre-release; '' for a release. */
  readonly tag: string;
  /** The fourth number of a development build (`4.0.0.1` → 1); 0 otherwise. */
  readonly build: number;
  /** The text it was parsed from. */
  readonly text: string;

  /** Parses `text`; an unparseable or absent one reads as `0.0.0` (as ops does). */
  constructor(text: string | undefined) {
    const m = VERSION.exec(text ?? '');
    this.text = m ? (text as string) : (text ?? '0.0.0');
    this.major = Number(m?.[1] ?? 0);
    this.minor = Number(m?.[2] ?? 0);
    this.tag = m?.[3] ?? '';
    // `3.6-beta1`: the number after the tag is the pre-release's, not a patch.
    this.patch = this.tag ? 0 : Number(m?.[4] ?? 0);
    this.build = Number(m?.[5] ?? 0);
    Object.freeze(this);
  }

  /**
   * True when this version is at least `min` (`'3.4'`, `'3.6.2'`). A pre-release counts as
   * before its release: `3.6-beta1` is not at least `3.6.0`.
   */
  atLeast(min: string): boolean {
    const [major = 0, minor = 0, patch = 0] = min.split('.').map(Number);
    if (this.major !== major) return this.major > major;
    if (this.minor !== minor) return this.minor > minor;
    if (this.patch !== patch) return this.patch > patch;
    return this.tag === '';
  }

  /** Secrets (`secret-*` tools and events): Juju 3.0.3. */
  get hasSecrets(): boolean {
    return this.atLeast('3.0.3');
  }

  /** `open-port` on Kubernetes models: Juju 3.0.3. */
  get supportsOpenPortOnK8s(): boolean {
    return this.atLeast('3.0.3');
  }

  /** `exec(…, { serviceContext })`: Juju 3.1.6, except 3.2.0 (its Pebble lacks it). */
  get supportsExecServiceContext(): boolean {
    return this.atLeast('3.1.6') && !(this.major === 3 && this.minor === 2 && this.patch === 0);
  }

  /** `<container>-pebble-custom-notice` events: Juju 3.4. */
  get hasCustomNotices(): boolean {
    return this.atLeast('3.4');
  }

  /** Pebble log forwarding (`log-targets` in layers): Juju 3.4. */
  get supportsPebbleLogForwarding(): boolean {
    return this.atLeast('3.4');
  }

  /** `<container>-pebble-check-failed` / `-check-recovered` events: Juju 3.6. */
  get hasCheckEvents(): boolean {
    return this.atLeast('3.6');
  }

  /** The `relation-model-get` tool (a relation's remote model): Juju 3.6.2. */
  get hasRelationModelGet(): boolean {
    return this.atLeast('3.6.2');
  }

  /** Pebble identities and metrics in the workload container: Juju 3.6.4. */
  get supportsPebbleIdentities(): boolean {
    return this.atLeast('3.6.4');
  }

  /** `leader-get` / `leader-set`: every Juju before 4.0 (use peer relation app data instead). */
  get hasLeaderSettings(): boolean {
    return !this.atLeast('4.0');
  }

  /** The text, e.g. `3.6.4`. */
  toString(): string {
    return this.text;
  }

  /** `"3.6.4"`: a version serialises to its text. */
  toJSON(): string {
    return this.text;
  }
}

/** Parses `3.6.4`, `3.6-beta1`, `4.0.0.1`; an unparseable or absent one reads as `0.0.0`. */
export function parseJujuVersion(text: string | undefined): JujuVersion {
  return new JujuVersion(text);
}

/** True when `v` is at least `min` (`3.4`, `3.6.2`). */
export function versionAtLeast(v: JujuVersion, min: string): boolean {
  return v.atLeast(min);
}
