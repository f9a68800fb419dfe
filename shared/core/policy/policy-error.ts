import {NasmonError} from '../../errors.js';

/** One thing wrong with a policy file: where (file, JSON path, line when known) and why. */
export interface PolicyProblem {
  readonly file: string;
  /** JSON path in the file, e.g. `submissionRules[2].mode`; `$` is the whole document. */
  readonly path: string;
  readonly reason: string;
  /** 1-based line in the file, when the parser could locate the path. */
  readonly line?: number;
}

// The message lists the first problems only; `problems` always holds all of them.
const MESSAGE_PROBLEMS = 25;

/** A policy file that cannot be used; `problems` lists every mistake found, not just the first. */
export class PolicyError extends NasmonError {
  override readonly name = 'PolicyError';

  constructor(
    readonly problems: readonly PolicyProblem[],
    options: {cause?: unknown} = {},
  ) {
    super('config-invalid', formatMessage(problems), options.cause === undefined ? {} : {cause: options.cause});
  }
}

/** Formats one problem as `file:line path: reason`. */
export function formatProblem(problem: PolicyProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where} ${problem.path}: ${problem.reason}`;
}

function formatMessage(problems: readonly PolicyProblem[]): string {
  const file = problems[0]?.file ?? 'policy';
  const shown = problems.slice(0, MESSAGE_PROBLEMS).map(p => `  ${formatProblem(p)}`);
  const more = problems.length > MESSAGE_PROBLEMS ? [`  … and ${problems.length - MESSAGE_PROBLEMS} more`] : [];
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return [`invalid policy file ${file} (${problems.length} ${noun}):`, ...shown, ...more].join('\n');
}
