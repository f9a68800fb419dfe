// Firestore's storage size of a document, by the documented rules
// (https://firebase.google.com/docs/firestore/storage-size): the limit of 1 MiB applies to this size.
import {Timestamp, type DocumentData} from '@google-cloud/firestore';

/** Firestore's maximum document size. */
export const MAX_DOCUMENT_BYTES = 1_048_576;

/** Name size + field sizes + 32 bytes, for the document at `path` holding `data`. */
export function documentBytes(path: string, data: DocumentData): number {
  const name = path.split('/').reduce((sum, segment) => sum + Buffer.byteLength(segment) + 1, 16);
  return name + mapBytes(data) + 32;
}

function mapBytes(map: Record<string, unknown>): number {
  return Object.entries(map).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + 1 + valueBytes(value), 0);
}

function valueBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value) + 1;
  if (typeof value === 'number' || value instanceof Timestamp) return 8;
  if (Buffer.isBuffer(value)) return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueBytes(item), 0);
  if (typeof value === 'object') return mapBytes(value as Record<string, unknown>);
  return 8;
}
