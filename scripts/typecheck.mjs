// `npm run typecheck`: every TypeScript project of the repository, each under its own environment.
// The root tsconfig.json is the Node program (server, extension, training, CLI, tests, benches); a
// tsconfig.json in a folder below src/ or test/ gives that folder other globals: src/language and
// src/protocol see neither Node nor the DOM, src/webview the DOM only, browser-driving tests both.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function projectsUnder(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const sub = join(dir, entry.name);
    if (existsSync(join(sub, 'tsconfig.json'))) found.push(join(sub, 'tsconfig.json'));
    found.push(...projectsUnder(sub));
  }
  return found;
}

const projects = ['tsconfig.json', ...projectsUnder('src'), ...projectsUnder('test')];
const failed = [];
for (const project of projects) {
  const t0 = Date.now();
  const result = spawnSync('npx', ['tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
  console.log(
    `${result.status === 0 ? 'ok    ' : 'FAILED'} ${project} (${((Date.now() - t0) / 1000).toFixed(1)}s)`,
  );
  if (result.status !== 0) failed.push(project);
}
process.exit(failed.length ? 1 : 0);
