// Completion, hover, inlay hints, formatting, symbols, semantic tokens, navigation and robustness over
// real LSP (stdio) against the built server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CancellationTokenSource,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintKind,
  InlayHintRequest,
  InsertTextFormat,
  LSPErrorCodes,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  SemanticTokensRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { generateLargeFile } from '../../bench/generate';
import { LspSession, applyEdits, positionOf, repoRoot } from './lspHarness';

const dcgan = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
let server: LspSession;
let counter = 0;

before(async () => {
  server = await LspSession.start({ initializationOptions: { gan: { diagnostics: { delay: 0 } } } });
});
after(async () => {
  await server.stop();
});

/** Opens `text` as a fresh document and returns its URI once it has been checked. */
async function openDocument(text: string): Promise<string> {
  const uri = `file:///features-${++counter}.gan`;
  await server.open(uri, text);
  await server.waitForDiagnostics(uri, 1);
  return uri;
}

async function completionAt(text: string, position: Position): Promise<CompletionItem[]> {
  const uri = await openDocument(text);
  const result = await server.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position,
  });
  await server.close(uri);
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

interface CompletionCase {
  readonly name: string;
  /** Text inserted at the anchor; the cursor ends after it. */
  readonly anchor: string;
  readonly insert: string;
  readonly expected: readonly string[];
  readonly absent?: readonly string[];
}

// Ten representative cursor positions in the DCGAN example.
const completionCases: readonly CompletionCase[] = [
  {
    name: 'family after `model NAME:`',
    anchor: 'model dcgan: ',
    insert: '',
    expected: ['gan', 'cgan', 'vae', 'cyclegan'],
  },
  {
    name: 'section in a model body (those present are not offered again)',
    anchor: '  latent 100\n',
    insert: '  ',
    expected: ['optimizer'],
    absent: ['loss', 'data', 'generator', 'evaluate'],
  },
  { name: 'data source', anchor: '  data ', insert: '', expected: ['mnist', 'fashion_mnist', 'shapes'] },
  {
    name: 'layer in a network',
    anchor: '    batchnorm\n',
    insert: '    ',
    expected: ['deconv', 'dropout', 'reshape'],
    absent: ['loss'],
  },
  {
    name: 'parameter name',
    anchor: 'conv 64 kernel=5 stride=2',
    insert: ' ',
    expected: ['padding=', 'activation='],
  },
  {
    name: 'enum value after `padding=`',
    anchor: 'conv 64 kernel=5 stride=2',
    insert: ' padding=',
    expected: ['same', 'valid'],
  },
  {
    name: 'activation value',
    anchor: 'deconv 1 kernel=5 stride=2 activation=',
    insert: '',
    expected: ['tanh', 'sigmoid'],
  },
  { name: 'loss kind', anchor: '  loss ', insert: '', expected: ['nonsaturating', 'hinge', 'wasserstein'] },
  { name: 'optimizer kind', anchor: '  optimizer ', insert: '', expected: ['adam', 'rmsprop', 'sgd'] },
  { name: 'model after `extends`', anchor: 'model dcgan_small extends ', insert: '', expected: ['dcgan'] },
  {
    name: 'train setting (`steps` excluded by `epochs`)',
    anchor: '  train {\n',
    insert: '    ',
    expected: ['d_steps', 'checkpoint', 'backend'],
    absent: ['steps', 'epochs'],
  },
];

for (const c of completionCases) {
  test(`completion: ${c.name}`, async () => {
    const at = dcgan.indexOf(c.anchor);
    assert.ok(at >= 0, c.anchor);
    const cut = at + c.anchor.length;
    const text = dcgan.slice(0, cut) + c.insert + dcgan.slice(cut);
    const cursor = cut + c.insert.length;
    const items = await completionAt(text, positionOf(text.slice(0, cursor) + '\u0001', '\u0001'));
    const labels = items.map((i) => i.label);
    for (const label of c.expected) assert.ok(labels.includes(label), `${label} not in ${labels.join(', ')}`);
    for (const label of c.absent ?? []) assert.ok(!labels.includes(label), `${label} unexpectedly offered`);
    for (const item of items) {
      assert.ok(item.textEdit && 'range' in item.textEdit, 'every item replaces a range');
      assert.ok(item.kind !== undefined);
    }
  });
}

test('completion: accepting an item yields text that checks clean', async () => {
  const anchor = 'deconv 1 kernel=5 stride=2 activation=';
  const text = dcgan.replace(`${anchor}tanh`, `${anchor}ta`);
  const cursor = positionOf(text, `${anchor}ta`, anchor.length + 2);
  const items = await completionAt(text, cursor);
  const tanh = items.find((i) => i.label === 'tanh');
  assert.ok(tanh?.textEdit && 'range' in tanh.textEdit);
  assert.notEqual(tanh.insertTextFormat, InsertTextFormat.Snippet);
  const accepted = applyEdits(text, [tanh.textEdit]);
  assert.equal(accepted, dcgan);
});

test('hover on a layer shows its shapes and parameters; on a model its summary', async () => {
  const uri = await openDocument(dcgan);
  const layer = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'deconv 128', 2),
  });
  assert.ok(layer && typeof layer.contents === 'object' && 'kind' in layer.contents);
  assert.equal(layer.contents.kind, 'markdown');
  assert.match(layer.contents.value, /7×7×256.*7×7×128/);
  assert.match(layer.contents.value, /kernel/);
  assert.deepEqual(layer.range?.start, positionOf(dcgan, 'deconv 128'));
  const model = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'dcgan:', 1),
  });
  assert.ok(model && typeof model.contents === 'object' && 'value' in model.contents);
  assert.match(model.contents.value, /28×28×1/);
  const blank = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: { line: positionOf(dcgan, '  latent 100').line + 1, character: 0 },
  });
  assert.equal(blank, null);
  await server.close(uri);
});

test('hover on a pixelcnn layer shows its receptive field; a plain masked stack shows its blind spot', async () => {
  const pixel = readFileSync(join(repoRoot, 'examples', 'mnist-pixelcnn.gan'), 'utf8');
  const uri = await openDocument(pixel);
  const gated = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(pixel, 'gated 16 kernel=7', 2),
  });
  assert.ok(gated && typeof gated.contents === 'object' && 'value' in gated.contents);
  // 7×7 mask A: 3 rows of 7 above and 3 pixels to the left.
  assert.match(
    gated.contents.value,
    /Receptive field\*\*: 24 earlier pixels — up to 3 rows above, 3 columns left and 3 right; 3 to the left on its own row\. Blind spot: none/,
  );
  await server.close(uri);
  const masked = [
    'model m: pixelcnn {',
    '  data mnist { scale [0, 1]; batch 8 }',
    '  levels 2',
    '  network {',
    '    maskedconv 8 kernel=3 mask=A',
    '    repeat 3 { maskedconv 8 kernel=3 mask=B }',
    '    maskedconv 2 kernel=1',
    '  }',
    '}',
    '',
  ].join('\n');
  const other = await openDocument(masked);
  const stack = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: other },
    position: positionOf(masked, 'repeat 3', 2),
  });
  assert.ok(stack && typeof stack.contents === 'object' && 'value' in stack.contents);
  // Four 3×3 masked layers reach 4 rows up and 4 columns either side; the up-right corner they
  // cannot see is PixelCNN's blind spot.
  assert.match(stack.contents.value, /up to 4 rows above, 4 columns left and 4 right/);
  assert.match(stack.contents.value, /Blind spot: [1-9]\d* earlier pixels/);
  await server.close(other);
});

test('inlay hints show layer output shapes in the requested range', async () => {
  const uri = await openDocument(dcgan);
  const reshapeLine = positionOf(dcgan, 'reshape [7, 7, 256]').line;
  const hints = await server.connection.sendRequest(InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 22, character: 0 } },
  });
  assert.ok(hints && hints.length > 5);
  const reshape = hints.find((h) => h.position.line === reshapeLine);
  assert.ok(reshape);
  assert.equal(reshape.label, '→ 7×7×256');
  assert.equal(reshape.kind, InlayHintKind.Type);
  assert.ok(hints.every((h) => h.position.line <= 22));
  await server.close(uri);
});

test('formatting: document and range formatting restore the canonical layout', async () => {
  const messy = dcgan
    .replace('    batchnorm\n', '        batchnorm   \n')
    .replace('  latent 100', 'latent    100');
  const uri = await openDocument(messy);
  const options = { tabSize: 2, insertSpaces: true };
  const edits = await server.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options,
  });
  assert.ok(edits && edits.length > 0);
  assert.equal(applyEdits(messy, edits), dcgan);
  const line = positionOf(messy, '        batchnorm').line;
  const rangeEdits = await server.connection.sendRequest(DocumentRangeFormattingRequest.type, {
    textDocument: { uri },
    range: { start: { line, character: 0 }, end: { line, character: 5 } },
    options,
  });
  assert.ok(rangeEdits && rangeEdits.length > 0);
  const rangeFormatted = applyEdits(messy, rangeEdits);
  assert.ok(rangeFormatted.includes('\n    batchnorm\n'));
  assert.ok(rangeFormatted.includes('latent    100'), 'lines outside the range are left alone');
  await server.close(uri);
});

test('document symbols, folding ranges and semantic tokens', async () => {
  const uri = await openDocument(dcgan);
  const symbols = (await server.connection.sendRequest(DocumentSymbolRequest.type, {
    textDocument: { uri },
  })) as DocumentSymbol[];
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['dcgan', 'dcgan_small', 'dcgan_hinge'],
  );
  assert.ok(symbols[0].children && symbols[0].children.some((c) => c.name.startsWith('generator')));
  const folds = await server.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  const modelLine = positionOf(dcgan, 'model dcgan:').line;
  assert.ok(folds?.some((f) => f.startLine === modelLine && f.endLine > modelLine + 30));
  const tokens = await server.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
  assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
  const legend = server.initializeResult?.capabilities.semanticTokensProvider?.legend;
  assert.ok(legend);
  // The first token of the file is the comment on line 0; then `model` on line 1 is a keyword.
  const types = legend.tokenTypes;
  const decoded = decode(tokens.data);
  const model = decoded.find((t) => t.line === modelLine && t.char === 0);
  assert.equal(model && types[model.type], 'keyword');
  await server.close(uri);
});

test('definition, references, prepareRename and rename of a model name', async () => {
  const uri = await openDocument(dcgan);
  const baseRef = positionOf(dcgan, 'extends dcgan_small', 'extends '.length + 2);
  const found = await server.connection.sendRequest(DefinitionRequest.type, {
    textDocument: { uri },
    position: baseRef,
  });
  assert.ok(found && !Array.isArray(found) && 'uri' in found);
  assert.equal(found.uri, uri);
  assert.deepEqual(found.range.start, positionOf(dcgan, 'dcgan_small extends'));
  const refs = await server.connection.sendRequest(ReferencesRequest.type, {
    textDocument: { uri },
    position: baseRef,
    context: { includeDeclaration: true },
  });
  assert.equal(refs?.length, 2);
  const prepared = await server.connection.sendRequest(PrepareRenameRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'model dcgan:', 'model '.length + 1),
  });
  assert.ok(prepared && 'placeholder' in prepared);
  assert.equal(prepared.placeholder, 'dcgan');
  const renamed = await server.connection.sendRequest(RenameRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'model dcgan:', 'model '.length + 1),
    newName: 'classic',
  });
  const edits = renamed?.changes?.[uri];
  assert.ok(edits && edits.length === 2);
  const after = applyEdits(dcgan, edits);
  assert.match(after, /model classic: gan/);
  assert.match(after, /model dcgan_small extends classic \{/);
  await assert.rejects(
    server.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position: positionOf(dcgan, 'model dcgan:', 'model '.length + 1),
      newName: 'not a name',
    }),
    (error: unknown) => error instanceof ResponseError,
  );
  const none = await server.connection.sendRequest(PrepareRenameRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'batchnorm', 2),
  });
  assert.equal(none, null);
  await server.close(uri);
});

test('out-of-range positions are clamped and never crash the server', async () => {
  const uri = await openDocument(dcgan);
  const bad: Position[] = [
    { line: 10_000, character: 5 },
    { line: 3, character: 10_000 },
    { line: -1, character: -7 },
    { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
  ];
  for (const position of bad) {
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
    await server.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: position, end: { line: position.line + 5, character: 0 } },
    });
  }
  // A document that was never opened (or was deleted and closed) answers empty.
  const missing = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: 'file:///deleted.gan' },
    position: { line: 0, character: 0 },
  });
  assert.equal(missing, null);
  assert.ok(server.alive);
  const still = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'deconv 128', 2),
  });
  assert.ok(still);
  await server.close(uri);
});

test('binary content gets no features and does not crash', async () => {
  const uri = await openDocument('\u0000\u0001model x: gan {\n  generator {\n  }\n}\n'.repeat(50));
  const items = await server.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line: 2, character: 2 },
  });
  assert.deepEqual(items, []);
  const edits = await server.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.deepEqual(edits, []);
  assert.ok(server.alive);
  await server.close(uri);
});

test('a cancelled request is answered with RequestCancelled and the server carries on', async () => {
  const uri = await openDocument(dcgan);
  // Keep the server busy (a 10,000-line document analysed on demand by a hover) so that the completion
  // request and its cancellation are both queued before the completion is dispatched.
  const big = 'file:///features-big.gan';
  const bigText = generateLargeFile();
  void server.open(big, bigText);
  const busy = server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: big },
    position: positionOf(bigText, 'deconv 128', 2),
  });
  const source = new CancellationTokenSource();
  const pending = server.connection.sendRequest(
    CompletionRequest.type,
    { textDocument: { uri }, position: positionOf(dcgan, '  loss ', 7) },
    source.token,
  );
  source.cancel();
  await assert.rejects(
    pending,
    (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
  );
  assert.ok(await busy);
  const after = await server.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(dcgan, 'deconv 128', 2),
  });
  assert.ok(after);
  await server.close(big);
  await server.close(uri);
});

function decode(data: readonly number[]): { line: number; char: number; type: number }[] {
  const out: { line: number; char: number; type: number }[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    out.push({ line, char, type: data[i + 3] });
  }
  return out;
}
