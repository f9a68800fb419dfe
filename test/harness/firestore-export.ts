// Saving and restoring one project's data in the Firestore emulator, through its own HTTP endpoints
// (the ones firebase-tools uses). Measured on emulator 1.19.9: `--export-on-exit` exports nothing on
// SIGTERM (only a POST /shutdown exports, and then fails with "Database name projects/P/databases/
// has invalid trailing /"), and `--import-data` takes a single export, so a restart that keeps
// several projects exports and imports each one over HTTP instead.
import {mkdirSync, readdirSync} from 'node:fs';
import {join, resolve} from 'node:path';

/** Exports `project`'s documents into `dir` (created; should be empty) and returns the export's metadata file. */
export async function exportFirestoreProject(host: string, project: string, dir: string): Promise<string> {
  const directory = resolve(dir);
  mkdirSync(directory, {recursive: true});
  await call(host, project, 'export', directory);
  // The emulator names the export itself (firestore_export_<seconds>) and answers {}.
  const [made] = readdirSync(directory).filter(entry => entry.startsWith('firestore_export_'));
  if (!made) throw new Error(`the Firestore emulator exported ${project} but wrote nothing into ${directory}`);
  return join(directory, made, `${made}.overall_export_metadata`);
}

/** Loads an export made by {@link exportFirestoreProject} into `project`. */
export async function importFirestoreProject(host: string, project: string, metadataFile: string): Promise<void> {
  await call(host, project, 'import', metadataFile);
}

async function call(host: string, project: string, verb: 'export' | 'import', path: string): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/projects/${project}:${verb}`, {
    method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({database: `projects/${project}/databases/(default)`, export_directory: path}),
  });
  if (!response.ok) throw new Error(`Firestore emulator ${verb} of ${project} failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
}
