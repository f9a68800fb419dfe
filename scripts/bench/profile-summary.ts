// Summarises .cpuprofile files written by BENCH_PROFILE: self time per function and per package, so
// a cycle's CPU can be attributed without opening DevTools.
//   node --import tsx scripts/bench/profile-summary.ts FILE.cpuprofile [...] [--top=30]
import {readFileSync} from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const top = Number(args.find(a => a.startsWith('--top='))?.slice(6) ?? 30);
const files = args.filter(a => !a.startsWith('--'));
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map(node => [node.id, node]));
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    total += micros;
    const where = shortUrl(frame.url);
    add(byFunction, `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`, micros);
    add(byPackage, packageOf(frame.url, frame.functionName), micros);
  });
}
print('by package', byPackage);
print('by function (self time)', byFunction);

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 13);
  const repo = /\/(shared|scripts|functions|simulator)\//.exec(url);
  return repo ? url.slice(repo.index + 1) : url.replace(/^file:\/\//, '');
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/') - 1 >= 0 ? url.lastIndexOf('node_modules/') : 0));
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const repo = /\/(shared\/[^/]+\/[^/]+|scripts|functions|simulator)\//.exec(url);
  return repo ? repo[1]! : url;
}

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title}: total ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(micros / 1000).toFixed(1).padStart(9)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
}
