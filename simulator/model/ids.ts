// Vertex names carry the project NUMBER and server-assigned int64 ids. The simulator derives a stable
// 12-digit number from each project id, so a name built from either spelling addresses the same job.
import {createHash} from 'node:crypto';
import type {Rng} from './prng.js';

export function isProjectNumber(project: string): boolean {
  return /^\d+$/.test(project);
}

/** The 12-digit project number for a project id (a number is returned unchanged). */
export function projectNumberOf(project: string): string {
  if (isProjectNumber(project)) return project;
  const digest = createHash('sha256').update(`project-number|${project}`).digest();
  const value = digest.readUIntBE(0, 6) % 900_000_000_000;
  return String(100_000_000_000 + value);
}

export interface IdGenerator {
  /** A fresh 19-digit decimal id below 2^63 (first digit 1–8), never repeated by this generator. */
  next(): string;
}

export function createIdGenerator(rng: Rng): IdGenerator {
  const issued = new Set<string>();
  return {
    next() {
      for (;;) {
        let id = String(rng.int(1, 8));
        while (id.length < 19) id += String(rng.int(0, 9));
        if (!issued.has(id)) {
          issued.add(id);
          return id;
        }
      }
    },
  };
}
