// Compiles the functions to build/ for the processes that serve them (`npm start`, `npm run soak`),
// incrementally: a second run with unchanged sources skips most of it. Two runs at once (the local
// stack's test and the soak's, say) take turns through a lock directory, so one never starts its
// function servers while the other is rewriting the files they load.
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';

const LOCK_DIR = 'build/.build-lock';
const BUILD_INFO = 'build/.local-stack.tsbuildinfo';

/** Runs tsc over tsconfig.json and answers the seconds it took; throws when it fails. */
export async function buildFunctions(say: (line: string) => void, stdio: 'inherit' | 'ignore' = 'inherit'): Promise<number> {
  const t0 = Date.now();
  say('building the functions (build/)…');
  const release = await takeLock();
  try {
    const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO], {stdio});
    const code = await new Promise<number | null>(resolve => tsc.once('exit', resolve));
    if (code !== 0) throw new Error(`the build failed (tsc exited with ${code})${stdio === 'inherit' ? '; fix the errors above' : '; run `npm run build` to see the errors'}`);
  } finally {
    release();
  }
  return (Date.now() - t0) / 1000;
}

// mkdir is atomic: whoever creates the directory holds the lock. A lock whose holder is gone (killed
// mid-build) is taken over.
async function takeLock(): Promise<() => void> {
  mkdirSync('build', {recursive: true});
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(`${LOCK_DIR}/pid`, String(process.pid));
      return () => rmSync(LOCK_DIR, {recursive: true, force: true});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive() || Date.now() > deadline) rmSync(LOCK_DIR, {recursive: true, force: true});
    else await new Promise(resolve => setTimeout(resolve, 250));
  }
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(LOCK_DIR).mtimeMs < 10_000; // just created, its pid not written yet
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
