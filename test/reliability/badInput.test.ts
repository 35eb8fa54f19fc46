// Adversarial input never silences the tools (issue 10): a file of 10,000 stray `{` gets
// diagnostics from both `gan check` and the language server, and a runs folder full of broken
// runs is still listed by `gan runs`, each broken one with its reason.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../server/lspHarness';
import { brokenRunsFolder } from '../training/runs/brokenRunsFolder';
import { ensureBuilt, gan, scratch, tinyGan } from '../training/runs/harness';

const BRACES = `model m: gan {\n${'{'.repeat(10_000)}\n}\n`;

before(ensureBuilt);

test('gan check reports a 10k-brace file and still checks the other files', async () => {
  const dir = scratch({
    'braces.gan': BRACES,
    'good.gan': tinyGan('steps 10'),
    'bad.gan': 'model x: nope {}\n',
  });
  const result = await gan(['check', 'braces.gan', 'bad.gan', 'good.gan'], dir);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^braces\.gan:\d+:\d+: error E10\d /m);
  assert.match(result.stdout, /^bad\.gan:1:\d+: error /m);
  assert.match(result.stdout, /3 files checked/);
  assert.equal(result.stderr, '');
});

let server: LspSession | undefined;
after(async () => server?.stop());

test('the language server publishes diagnostics for a 10k-brace file and keeps serving', async () => {
  server = await LspSession.start({ initializationOptions: { gan: { diagnostics: { delay: 0 } } } });
  const dir = scratch();
  const uri = pathToFileURL(join(dir, 'braces.gan')).toString();
  writeFileSync(join(dir, 'braces.gan'), BRACES);
  await server.open(uri, BRACES);
  const published = await server.waitForDiagnostics(uri, 1);
  assert.ok(
    published.diagnostics.some((d) => d.code === 'E100'),
    JSON.stringify(published.diagnostics[0]),
  );
  const version = await server.change(uri, tinyGan('steps 10'));
  const fixed = await server.waitForDiagnostics(uri, version);
  assert.deepEqual(fixed.diagnostics, []);
  assert.ok(server.alive);
});

test('gan runs lists every run of a broken runs folder, the broken ones with their reason', async () => {
  const { runs } = brokenRunsFolder();
  const result = await gan(['runs', runs], scratch());
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^tiny-\d{8}-\d{6}\s+tiny\s+completed\s+10\/10\s+d_loss=0\.7/m);
  for (const name of ['badjson-20260101-000000', 'escape-20260101-000000', 'dangling'])
    assert.match(result.stdout, new RegExp(`^${name}\\s+-\\s+broken`, 'm'));
  assert.match(result.stdout, /^dirmetrics-\d{8}-\d{6}: broken: metrics\.jsonl is not a file$/m);
  assert.match(result.stdout, /^badjson-20260101-000000: broken: run\.json is not valid JSON/m);
  assert.match(result.stdout, /^dangling: broken: dangling symbolic link$/m);
});
