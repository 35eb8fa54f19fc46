// Diagnostics and quick fixes over real LSP (stdio) against the built server.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CodeActionRequest, DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspSession, applyEdits, exampleUri, repoRoot } from './lspHarness';

const examples = readdirSync(join(repoRoot, 'examples')).filter((name) => name.endsWith('.gan'));
const dcgan = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
const brokenReshape = dcgan.replace('reshape [7, 7, 256]', 'reshape [7, 7, 128]');
const docsUrl = 'https://gan.example/docs/language.md';

let server: LspSession;
before(async () => {
  server = await LspSession.start({
    initializationOptions: { gan: { docsUrl, diagnostics: { delay: 50 } } },
  });
});
after(async () => {
  await server.stop();
});

test('every example opens without error diagnostics', async () => {
  assert.ok(examples.length >= 5);
  for (const name of examples) {
    const uri = exampleUri(name);
    await server.open(uri, readFileSync(join(repoRoot, 'examples', name), 'utf8'));
    const { diagnostics, version } = await server.waitForDiagnostics(uri, 1);
    assert.equal(version, 1);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    assert.deepEqual(errors, [], `${name}: ${errors.map((d) => d.message).join('; ')}`);
    await server.close(uri);
  }
});

test('a broken reshape reports E301 on the reshape line, with a docs link', async () => {
  const uri = 'file:///broken-reshape.gan';
  await server.open(uri, brokenReshape);
  const { diagnostics } = await server.waitForDiagnostics(uri, 1);
  const e301 = only(diagnostics, 'E301');
  const line = brokenReshape.split('\n').findIndex((l) => l.includes('reshape [7, 7, 128]'));
  assert.equal(e301.range.start.line, line);
  assert.equal(e301.range.start.character, 4);
  assert.equal(e301.range.end.line, line);
  assert.equal(e301.range.end.character, 4 + 'reshape [7, 7, 128]'.length);
  assert.equal(e301.severity, DiagnosticSeverity.Error);
  assert.equal(e301.source, 'gan');
  assert.equal(e301.codeDescription?.href, `${docsUrl}#e301`);
  assert.match(messageText(e301), /6272/);
  await server.close(uri);
});

test('syntax errors and unknown names carry their codes; warnings map to Warning', async () => {
  const uri = 'file:///several.gan';
  const text = dcgan
    .replace('loss nonsaturating', 'loss nonsaturatin')
    .replace('dense 1\n  }\n\n  loss', 'dense 1 activation=sigmoid\n  }\n\n  loss');
  await server.open(uri, text + '\nmodel x: gan {\n');
  const { diagnostics } = await server.waitForDiagnostics(uri, 1);
  const codes = new Set(diagnostics.map((d) => d.code));
  for (const code of ['E212', 'E101'])
    assert.ok(codes.has(code), `${code} missing in ${[...codes].join(',')}`);
  const e212 = only(diagnostics, 'E212');
  assert.equal(
    text.split('\n')[e212.range.start.line].slice(e212.range.start.character, e212.range.end.character),
    'nonsaturatin',
  );
  await server.close(uri);
  const warnUri = 'file:///warning.gan';
  await server.open(
    warnUri,
    dcgan.replace('dense 1\n  }\n\n  loss', 'dense 1 activation=sigmoid\n  }\n\n  loss'),
  );
  const warned = await server.waitForDiagnostics(warnUri, 1);
  assert.equal(only(warned.diagnostics, 'W403').severity, DiagnosticSeverity.Warning);
  await server.close(warnUri);
});

test('didChange publishes for the new version only; a burst is debounced to the newest version', async () => {
  const uri = 'file:///changing.gan';
  await server.open(uri, dcgan);
  assert.equal((await server.waitForDiagnostics(uri, 1)).diagnostics.length, 0);
  const v2 = await server.change(uri, brokenReshape);
  const second = await server.waitForDiagnostics(uri, v2);
  only(second.diagnostics, 'E301');
  // Three changes in a burst (as fast typing sends them). The first after a pause may be checked at
  // once (leading edge); the middle one arrives while typing and is superseded before its delay ends.
  const [v3, v4, v5] = await Promise.all([
    server.change(uri, dcgan.replace('latent 100', 'latent 1OO')),
    server.change(uri, brokenReshape.replace('batchnorm', 'batchnrm')),
    server.change(uri, dcgan),
  ]);
  const last = await server.waitForDiagnostics(uri, v5);
  assert.deepEqual(last.diagnostics, []);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const versions = server.published(uri).map((p) => p.version);
  assert.ok(!versions.includes(v4), `a superseded version was published: ${versions.join(',')}`);
  assert.ok(v3 < v4, 'versions count up');
  // Never a stale result after a newer one.
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => (a ?? 0) - (b ?? 0)),
    `published out of order: ${versions.join(',')}`,
  );
  assert.equal(versions.at(-1), v5);
  await server.close(uri);
});

test('a quick fix, applied, removes its diagnostic', async () => {
  const uri = 'file:///fix-me.gan';
  await server.open(uri, brokenReshape);
  const { diagnostics } = await server.waitForDiagnostics(uri, 1);
  const e301 = only(diagnostics, 'E301');
  const actions = await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: e301.range,
    context: { diagnostics: [e301] },
  });
  assert.ok(actions && actions.length >= 1);
  const fix = actions[0];
  assert.ok('kind' in fix && fix.kind === 'quickfix');
  assert.equal(fix.isPreferred, true);
  assert.deepEqual(fix.diagnostics?.[0].code, 'E301');
  const edits = fix.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0);
  const fixed = applyEdits(brokenReshape, edits);
  assert.equal(fixed, dcgan);
  await server.close(uri);
  const reopened = 'file:///fixed.gan';
  await server.open(reopened, fixed);
  assert.deepEqual((await server.waitForDiagnostics(reopened, 1)).diagnostics, []);
  await server.close(reopened);
});

test('binary and huge files are skipped with one informational diagnostic', async () => {
  const binary = 'file:///binary.gan';
  await server.open(binary, 'model a: gan {\u0000\u0001\u0002 }');
  const b = await server.waitForDiagnostics(binary, 1);
  assert.equal(b.diagnostics.length, 1);
  assert.equal(b.diagnostics[0].severity, DiagnosticSeverity.Information);
  assert.match(messageText(b.diagnostics[0]), /binary/);
  const huge = 'file:///huge.gan';
  await server.open(huge, '# padding\n'.repeat(250_000));
  const h = await server.waitForDiagnostics(huge, 1);
  assert.equal(h.diagnostics.length, 1);
  assert.match(messageText(h.diagnostics[0]), /too large/);
  await server.close(binary);
  await server.close(huge);
  assert.ok(server.alive);
});

test('closing a document clears its diagnostics', async () => {
  const uri = 'file:///closing.gan';
  await server.open(uri, brokenReshape);
  await server.waitForDiagnostics(uri, 1);
  const before = server.published(uri).length;
  await server.close(uri);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const cleared = server.published(uri).slice(before);
  assert.equal(cleared.length, 1);
  assert.deepEqual(cleared[0].diagnostics, []);
});

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics)}`);
  return found[0];
}

function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
