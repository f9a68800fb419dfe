// Peak memory of every process of the soak, from /proc: each process's VmHWM (the kernel's own
// high-water mark of its resident set), read every few seconds while it lives. A role is one process
// (the soak) or the processes under a root matching a command name (a function server's node under
// its watchdog, an emulator's java under the launcher script that forks it).
import {readdirSync, readFileSync} from 'node:fs';

/** What to sample: a process, or the processes below `root` (at any depth) whose command matches `comm`. */
export interface WatchedProcess {
  readonly role: string;
  readonly pid?: number;
  readonly root?: number;
  readonly comm?: RegExp;
}

/** A role's peak, in MiB, over every process that played it (a restarted function has several). */
export interface MemoryPeak {
  readonly role: string;
  readonly peakMb: number;
  readonly processes: number;
}

/** Samples `watched()` every `everyMs` until `stop`. */
export function startMemorySampler(watched: () => readonly WatchedProcess[], everyMs = 2000) {
  const peaks = new Map<string, {kb: number; pids: Set<number>}>();
  const sample = () => {
    const roles = watched();
    const table = roles.some(role => role.root !== undefined) ? processTable() : [];
    for (const role of roles) {
      const pids = role.pid !== undefined
        ? [role.pid]
        : descendants(table, role.root!).filter(p => !role.comm || role.comm.test(p.comm)).map(p => p.pid);
      for (const pid of pids) {
        const kb = highWaterKb(pid);
        if (kb === undefined) continue;
        const entry = peaks.get(role.role) ?? {kb: 0, pids: new Set<number>()};
        entry.kb = Math.max(entry.kb, kb);
        entry.pids.add(pid);
        peaks.set(role.role, entry);
      }
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** Samples once more, then stops. */
    stop(): void {
      sample();
      clearInterval(timer);
    },
    sampleNow: sample,
    peaks: (): MemoryPeak[] => [...peaks].map(([role, {kb, pids}]) => ({role, peakMb: Math.round(kb / 102.4) / 10, processes: pids.size})),
  };
}

function highWaterKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // gone
  }
}

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
}

// Every process, from /proc/<pid>/stat: "pid (comm) state ppid …".
function processTable(): ProcessEntry[] {
  const table: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    table.push({pid: Number(entry), ppid: Number(stat.slice(close + 2).split(' ')[1]), comm: stat.slice(stat.indexOf('(') + 1, close)});
  }
  return table;
}

function descendants(table: readonly ProcessEntry[], root: number): ProcessEntry[] {
  const out = table.filter(p => p.pid === root);
  for (let i = 0; i < out.length; i++) out.push(...table.filter(p => p.ppid === out[i]!.pid));
  return out;
}
