// The one test command (`npm test`, also run by .ci/run): static checks, build, unit and
// protocol tests, grammar snapshots, then the browser and VS Code end-to-end suites.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

function step(name, cmd, args) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${s}s`);
  return r.status === 0;
}

const only = process.argv.slice(2);
const want = (n) => only.length === 0 || only.includes(n);
const results = [];
if (want('typecheck')) results.push(['typecheck', step('typecheck', 'node', ['scripts/typecheck.mjs'])]);
if (want('lint')) results.push(['lint', step('lint', 'npx', ['eslint', '.'])]);
if (want('format')) results.push(['format', step('format', 'npx', ['prettier', '--check', '.'])]);
if (want('build')) {
  const built = step('build', 'node', ['scripts/build.mjs']);
  results.push(['build', built]);
  // Tests run built workers from dist/ in parallel: none may rebuild it under another's feet.
  if (built) process.env.GAN_TEST_NO_BUILD = '1';
}
// Unit, protocol, training and browser tests: node's own test runner.
const unit = findTests('test', '.test.ts').filter((f) => !f.startsWith(join('test', 'e2e')));
if (want('unit') && unit.length)
  results.push([
    'unit',
    step('unit', 'node', [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      ...unit,
    ]),
  ]);
if (want('grammar') && existsSync('test/grammar')) {
  const grammar = ['-g', 'syntaxes/gan.tmLanguage.json'];
  const snap = ['vscode-tmgrammar-snap', '--scope', 'source.gan', ...grammar, 'test/grammar/*.gan'];
  results.push(['grammar snapshots', step('grammar snapshots', 'npx', snap)]);
  const assertions = ['vscode-tmgrammar-test', ...grammar, 'test/grammar/assert/*.gan'];
  results.push(['grammar assertions', step('grammar assertions', 'npx', assertions)]);
}
const e2e = findTests(join('test', 'e2e'), '.e2e.ts');
if (want('e2e') && e2e.length)
  results.push([
    'e2e',
    step('e2e', 'node', [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      ...e2e,
    ]),
  ]);

const failed = results.filter(([, ok]) => !ok).map(([n]) => n);
console.log(`\nsuites: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
