/**
 * A Juju secret. Its content is never logged, put on a command line, or shown by `inspect`.
 * @module
 */
import type {
  SecretInfo,
  SecretMetadataOptions,
  SecretRevokeOptions,
} from '../hook-tools/types.ts';
import type { Runtime } from '../internal/runtime.ts';
import type { Relation } from './relation.ts';

/** A secret, known by id, by label, or both. */
export class Secret {
  readonly #rt: Runtime;
  #id: string | undefined;
  #label: string | undefined;
  #content: Record<string, string> | undefined;

  /** @internal Built by the model and the dispatcher. */
  constructor(rt: Runtime, id: string | undefined, label: string | undefined) {
    this.#rt = rt;
    this.#id = id;
    this.#label = label;
  }

  /** The secret's id (`secret:…`), when known. */
  get id(): string | undefined {
    return this.#id;
  }

  /** The secret's label, when known. */
  get label(): string | undefined {
    return this.#label;
  }

  #lookup(): { id?: string; label?: string } {
    return this.#id !== undefined ? { id: this.#id } : { label: this.#label as string };
  }

  /**
   * The content of the revision this unit tracks (read once per dispatch). With `refresh`, starts
   * tracking the latest revision. Throws `SecretNotFoundError`, or `ModelError` when not granted.
   */
  async get(options: { refresh?: boolean } = {}): Promise<Record<string, string>> {
    if (this.#content && !options.refresh) return { ...this.#content };
    const lookup =
      this.#id !== undefined && this.#label !== undefined
        ? { id: this.#id, label: this.#label }
        : this.#lookup();
    this.#content = await this.#rt.tools.secretGet({
      ...lookup,
      refresh: options.refresh === true,
    });
    return { ...this.#content };
  }

  /** The latest revision's content, without tracking it. Throws `SecretNotFoundError`. */
  peek(): Promise<Record<string, string>> {
    return this.#rt.tools.secretGet({ ...this.#lookup(), peek: true });
  }

  /** Metadata (owners only). Throws `SecretNotFoundError`. */
  async info(): Promise<SecretInfo> {
    const info = await this.#rt.tools.secretInfoGet(this.#lookup());
    this.#id ??= info.id;
    return info;
  }

  /** New content (a new revision). Throws `ModelError` unless this unit owns it. */
  async set(content: Record<string, string>): Promise<void> {
    await this.#rt.tools.secretSet(await this.#requireId(), { content });
    this.#content = undefined;
  }

  /** New metadata, without a new revision. */
  async setInfo(metadata: SecretMetadataOptions): Promise<void> {
    await this.#rt.tools.secretSet(await this.#requireId(), metadata);
    if (metadata.label !== undefined) this.#label = metadata.label;
  }

  /** Lets the remote app of `relation` (or only `unit`) read it. */
  async grant(relation: Relation, unit?: string): Promise<void> {
    await this.#rt.tools.secretGrant(await this.#requireId(), relation.ref, unit);
  }

  /** Withdraws a grant. */
  async revoke(
    relation: Relation,
    options: Omit<SecretRevokeOptions, 'relation'> = {},
  ): Promise<void> {
    await this.#rt.tools.secretRevoke(await this.#requireId(), {
      ...options,
      relation: relation.ref,
    });
  }

  /** Removes one revision, or every revision (the whole secret) without one. */
  async remove(revision?: number): Promise<void> {
    await this.#rt.tools.secretRemove(await this.#requireId(), revision);
  }

  async #requireId(): Promise<string> {
    if (this.#id === undefined)
      this.#id = (await this.#rt.tools.secretInfoGet({ label: this.#label as string })).id;
    return this.#id;
  }

  /** Id and label only: the content never serialises. */
  toJSON(): { id?: string; label?: string } {
    return {
      ...(this.#id !== undefined && { id: this.#id }),
      ...(this.#label !== undefined && { label: this.#label }),
    };
  }
}
