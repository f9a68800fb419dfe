// Printing benchmark rows: an aligned table for people, or one JSON object per line with --json.
import type {CycleFigures} from './measure.js';

export type CycleKind = 'cold' | 'quiet' | 'changes' | 'sweep';

/** One printed row: the median of `runs` cycles of one poller at one scale. */
export interface CycleRow extends CycleFigures {
  readonly poller: 'nasmon' | 'naive';
  readonly jobs: number;
  readonly targets: number;
  readonly changed: number;
  readonly cycle: CycleKind;
  readonly runs: number;
  /** nasmon only: what the plan chose to read, and what was over the cap. */
  readonly gets?: number;
  readonly deferred?: number;
  readonly expectedVertexCalls?: number;
  readonly note?: string;
  readonly error?: string;
}

const COLUMNS: Array<[string, (row: CycleRow) => string | number]> = [
  ['poller', row => row.poller], ['jobs', row => row.jobs], ['tgts', row => row.targets], ['cycle', row => row.cycle],
  ['runs', row => row.runs], ['changed', row => row.changed],
  ['vertex', row => row.vertexCalls], ['(list+get)', row => `${row.vertexLists}+${row.vertexGets}`],
  ['fsReads', row => row.firestoreReads], ['fsWrites', row => row.firestoreWrites], ['events', row => row.eventsPublished],
  ['wallMs', row => Math.round(row.wallMs)], ['cpuMs', row => Math.round(row.cpuMs)], ['sysMs', row => Math.round(row.sysMs)], ['rssMb', row => Math.round(row.rssMb)],
  ['simCpuMs', row => (row.simCpuMs === undefined ? '-' : Math.round(row.simCpuMs))],
  ['note', row => row.error ? `ERROR ${row.error}` : row.note ?? ''],
];

/** Prints rows as they come: a header before the first table row, or JSON lines. */
export function createPrinter(json: boolean) {
  let header = false;
  const line = (cells: Array<string | number>) => cells.map((cell, i) => String(cell).padStart(i === 0 ? 6 : i === cells.length - 1 ? 0 : 8)).join(' ');
  return {
    row(row: CycleRow) {
      if (json) return console.log(JSON.stringify({kind: 'cycle', ...roundFigures(row)}));
      if (!header) console.log(line(COLUMNS.map(([name]) => name)));
      header = true;
      console.log(line(COLUMNS.map(([, cell]) => cell(row))));
    },
    /** A non-cycle finding (digest size, ratios, target checks). */
    info(kind: string, fields: Record<string, unknown>, text: string) {
      if (json) console.log(JSON.stringify({kind, ...fields}));
      else console.log(text);
    },
  };
}

export type Printer = ReturnType<typeof createPrinter>;

function roundFigures(row: CycleRow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value * 10) / 10 : value]));
}
