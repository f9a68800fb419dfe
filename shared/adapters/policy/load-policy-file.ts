import {readFile} from 'node:fs/promises';
import {extname} from 'node:path';
import {parsePolicy, PolicyError, type Policy, type PolicyFormat} from '../../core/policy/index.js';

const FORMATS: Readonly<Record<string, PolicyFormat>> = {'.yaml': 'yaml', '.yml': 'yaml', '.json': 'json'};

/**
 * Reads and compiles the policy file at `path` (NASMON_POLICY). The format follows the extension:
 * `.yaml`/`.yml` or `.json`. Every failure, including an unreadable file, is a {@link PolicyError}
 * naming the file.
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) {
    throw new PolicyError([{file: path, path: '$', reason: 'unknown format: the file name must end in .yaml, .yml or .json'}]);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    throw new PolicyError([{file: path, path: '$', reason}], {cause: error});
  }
  // A byte-order mark is not part of YAML or JSON content; editors on Windows add one.
  return parsePolicy({text: text.replace(/^\uFEFF/, ''), format, file: path});
}
