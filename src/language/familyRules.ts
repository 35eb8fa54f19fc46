// The rules every family shares, driven by what its module declares: required sections, the image
// output's shape, and the critic's logits. A family's own rules are its `checks`.
import type { Fix } from './diagnostics';
import type { NetworkFacts } from './families/family';
import { formatShape, insertLineAfter, insertLineBefore, newlineOf, sameShape } from './networks';
import { dataSourceByName, sectionByName } from './schema';
import type { ModelDecl } from './syntax';

/** E208 for each required section the model lacks, with a fix that adds a starter where one exists. */
export function checkRequiredSections(
  facts: Pick<NetworkFacts, 'family' | 'sections' | 'text' | 'sink' | 'at'>,
  decl: ModelDecl,
): void {
  const present = new Set([...facts.sections.values()].map((s) => s.spec.name));
  // Without a body the parser's "expected `{`" already says what to do.
  for (const req of decl.block ? facts.family.required : []) {
    if (present.has(req)) continue;
    const spec = sectionByName.get(req);
    const starter = spec?.kind === 'network' ? `${req} {\n  }` : spec?.starter;
    const fixes =
      starter && decl.block?.closed ? [insertBeforeClose(facts.text, decl, starter, `Add \`${req}\``)] : [];
    facts.sink.add(
      'E208',
      facts.at,
      `A ${facts.family.name} model needs a \`${req}\` section: ${spec?.doc ?? ''}`,
      fixes,
    );
  }
}

function insertBeforeClose(text: string, decl: ModelDecl, line: string, title: string): Fix {
  const close = (decl.block?.end ?? text.length) - 1;
  let lineStart = close;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, close));
  const at = onOwnLine ? lineStart : close;
  const nl = newlineOf(text);
  const body = line.replace(/\n/g, nl);
  return { title, edits: [{ start: at, end: at, newText: `${onOwnLine ? '' : nl}  ${body}${nl}` }] };
}

/** E300: the network that draws images must produce exactly the data's shape. */
export function checkImageOutput({ family, data, networks, lastLayer, sections, sink }: NetworkFacts): void {
  const role = family.imageOutput.role;
  const out = networks[role];
  const target = family.imageOutput.target(data);
  if (!out || !target || sameShape(out.outputShape, target)) return;
  const stmt = lastLayer.get(role);
  const fixes: Fix[] = [];
  const last = out.layers[out.layers.length - 1];
  if (
    stmt &&
    last &&
    (last.kind === 'conv' || last.kind === 'deconv') &&
    out.outputShape.length === 3 &&
    out.outputShape[0] === target[0] &&
    out.outputShape[1] === target[1] &&
    stmt.positional[0]
  ) {
    const node = stmt.positional[0];
    fixes.push({
      title: `Change the filters to ${target[2]}`,
      edits: [{ start: node.start, end: node.end, newText: String(target[2]) }],
    });
  }
  sink.add(
    'E300',
    stmt ?? sections.get(role)?.head.word ?? { start: 0, end: 0 },
    `The ${role} outputs ${formatShape(out.outputShape)} but the data is ${formatShape(target)}: its last layers must produce exactly the image shape.`,
    fixes,
  );
}

/** E304: an adversarial family's critic ends in one logit per image (or per patch where allowed). */
export function checkCriticLogits({ family, networks, lastLayer, sections, text, sink }: NetworkFacts): void {
  const rule = family.adversarial;
  const critic = rule ? networks[rule.critic] : undefined;
  if (!rule || !critic) return;
  const o = critic.outputShape;
  const oneLogit = o.length === 1 && o[0] === 1;
  const patch = rule.patchLogits && o.length === 3 && o[2] === 1;
  if (oneLogit || patch) return;
  const stmt = lastLayer.get(rule.critic);
  const last = critic.layers[critic.layers.length - 1];
  // `dense 1` on a spatial tensor only lacks the `flatten` before it.
  const denseOneOnSpatial = last?.kind === 'dense' && last.params.units === 1 && last.inputShape.length > 1;
  const fixes = !stmt
    ? []
    : denseOneOnSpatial
      ? [insertLineBefore(text, stmt, 'flatten', 'Insert `flatten` before `dense 1`')]
      : o.length === 1
        ? [insertLineAfter(text, stmt, ['dense 1'], 'Add `dense 1`')]
        : [insertLineAfter(text, stmt, ['flatten', 'dense 1'], 'Add `flatten` and `dense 1`')];
  sink.add(
    'E304',
    stmt ?? sections.get(rule.critic)?.head.word ?? { start: 0, end: 0 },
    `The ${rule.critic} must end in one logit per image ([1]${rule.patchLogits ? ', or patch logits [h, w, 1]' : ''}) but outputs ${formatShape(o)}: end it with ${o.length === 1 ? '`dense 1`' : '`flatten` and `dense 1`'}.`,
    fixes,
  );
}

/** E325: clip families take clip data (moving_mnist, moving_shapes, clips) and image families images. */
export function checkClipData({
  family,
  data,
  sections,
  sink,
}: Pick<NetworkFacts, 'family' | 'data' | 'sections' | 'sink'>): void {
  const clips = family.clips === true;
  for (const d of data) {
    if ((dataSourceByName.get(d.source)?.clips === true) === clips) continue;
    const head = sections.get('data')?.head;
    const at = head?.positional[0] ?? head?.word ?? { start: 0, end: 0 };
    sink.add(
      'E325',
      at,
      clips
        ? `A ${family.name} model trains on clips: use \`moving_mnist\`, \`moving_shapes\` or \`clips "folder"\` data.`
        : `\`${d.source}\` data is clips, which only the video family trains on: use image data (mnist, shapes, …) or \`model NAME: video\`.`,
    );
  }
}
