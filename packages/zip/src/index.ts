/**
 * @charm-ts/zip: the one zip reader and writer of charm-ts. charm-pack writes `.charm` files
 * with it, charm-sim unpacks them with it, and a charm can bundle the reader (hello-kubecon
 * reads site archives with it). `@charm-ts/zip/testing` writes archives a careful writer
 * refuses, for testing readers.
 *
 * Why our own and not a library: a `.charm` must be the same bytes for the same tree, carry
 * Unix modes that Juju's Go reader and charmcraft honour, and reuse the Node.js runtime
 * deflated once per version (seconds of deflate otherwise, on every pack). fflate and yazl
 * write modes and fixed times, but neither takes an entry that is already deflated. On the
 * reading side, fflate's unzip does not report external attributes (no modes, no symlinks to
 * refuse), and yauzl reads through callbacks over a file descriptor with its own dependencies;
 * both would still need the limits below. The format subset a charm needs (stored and
 * deflate, no Zip64, no encryption) is about 300 lines over `node:zlib`, which has raw
 * deflate and CRC-32.
 * @module
 */
export { ZipError, type ZipErrorCode } from './errors.ts';
export { readZip, type ZipEntryType, type ZipFile, type ZipLimits } from './zip-reader.ts';
export { makeEntry, writeZip, type ZipEntry } from './zip-writer.ts';
