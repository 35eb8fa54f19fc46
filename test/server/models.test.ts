// gan/models over real LSP: the per-model facts the extension's CodeLenses, commands and run hover
// use instead of analysing documents on the extension host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type {
  ModelsParams,
  ModelsResult,
  ResolveModelParams,
  ResolveModelResult,
} from '../../src/protocol/language';
import { modelsRequest, resolveModelRequest } from '../../src/protocol/language';
import { LspSession, positionOf, repoRoot } from './lspHarness';

const dcgan = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
let server: LspSession;

before(async () => {
  server = await LspSession.start({
    initializationOptions: { gan: { diagnostics: { delay: 0 }, maxFileSize: 100_000 } },
  });
});
after(async () => {
  await server.stop();
});

function models(uri: string): Promise<ModelsResult> {
  const params: ModelsParams = { textDocument: { uri } };
  return server.connection.sendRequest<ModelsResult>(modelsRequest, params);
}

test('a clean file: every model with its family, base, ranges and no errors', async () => {
  const uri = 'file:///models-clean.gan';
  await server.open(uri, dcgan);
  const answer = await models(uri);
  assert.ok(answer);
  assert.equal(answer.uri, uri);
  assert.equal(answer.version, 1);
  assert.equal(answer.fileErrors, 0);
  assert.deepEqual(
    answer.models.map((m) => [m.name, m.family, m.base, m.errorCount, m.resolved]),
    [
      ['dcgan', 'gan', null, 0, true],
      ['dcgan_small', 'gan', 'dcgan', 0, true],
      ['dcgan_hinge', 'gan', 'dcgan_small', 0, true],
    ],
  );
  const small = answer.models[1];
  assert.deepEqual(small.keywordRange.start, positionOf(dcgan, 'model dcgan_small'));
  assert.deepEqual(small.nameRange.start, positionOf(dcgan, 'model dcgan_small', 'model '.length));
  assert.deepEqual(small.baseRange?.start, positionOf(dcgan, 'extends dcgan', 'extends '.length));
  assert.deepEqual(small.range.start, small.keywordRange.start);
  assert.ok(small.range.end.line > small.range.start.line, 'the range covers the whole block');
});

test('the answer follows edits: errors are counted per model and per file', async () => {
  const uri = 'file:///models-edited.gan';
  await server.open(uri, dcgan);
  const broken = dcgan.replace('latent 100', 'latent 100\n  frobnicate 3');
  const version = await server.change(uri, broken);
  const answer = await models(uri);
  assert.ok(answer);
  assert.equal(answer.version, version);
  assert.equal(answer.fileErrors, 1);
  const [base, small] = answer.models;
  assert.equal(base.errorCount, 1);
  assert.equal(base.resolved, false);
  assert.equal(small.keywordRange.start.line, positionOf(dcgan, 'model dcgan_small').line + 1);
});

test('documents the server does not have, or does not analyse, answer null', async () => {
  assert.equal(await models('file:///never-opened.gan'), null);
  const huge = 'file:///models-huge.gan';
  await server.open(huge, `${dcgan}\n${'#'.repeat(100_000)}\n`);
  assert.equal(await models(huge), null);
  const closed = 'file:///models-closed.gan';
  await server.open(closed, dcgan);
  assert.ok(await models(closed));
  await server.close(closed);
  assert.equal(await models(closed), null);
  assert.ok(server.alive);
});

test('gan/resolveModel resolves a text that is no open document, as a run folder keeps it', async () => {
  const resolve = (params: ResolveModelParams) =>
    server.connection.sendRequest<ResolveModelResult>(resolveModelRequest, params);
  const small = await resolve({ text: dcgan, model: 'dcgan_small' });
  assert.equal(small?.name, 'dcgan_small');
  assert.equal(small?.family, 'gan');
  assert.ok(small?.networks.generator?.layers.length, 'the networks come resolved');
  assert.equal((await resolve({ text: dcgan, model: 'missing' }))?.name, 'dcgan', 'the first model');
  const broken = dcgan.replace('latent 100', 'latent 100\n  frobnicate 3');
  assert.equal(await resolve({ text: broken, model: 'dcgan' }), null);
  assert.equal(await resolve({ text: 'x'.repeat(100_001), model: 'dcgan' }), null, 'over maxFileSize');
  assert.equal(await resolve({ model: 'dcgan' } as unknown as ResolveModelParams), null);
  assert.ok(server.alive);
});
