/**
 * The one error `new-charm` reports: bad input or a workspace it cannot write into. Its message
 * names the argument, file or directory and what would fix it.
 * @module
 */
export class CreateCharmError extends Error {
  override readonly name = 'CreateCharmError';
}
