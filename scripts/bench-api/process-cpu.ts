import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux). */
export function processCpuMs(pid: number): number {
  // Fields 14 and 15 (after the parenthesised command) are utime and stime, in clock ticks.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / (ticksPerSecond ??= clockTicks());
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
  } catch {
    return 100;
  }
}
