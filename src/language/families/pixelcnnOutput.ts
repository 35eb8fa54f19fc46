// pixelcnn: what the network's last layer outputs for each pixel, by the `levels` section's
// `output` setting. `softmax`: logits over the levels for every channel (levels × channels).
// `logistic`: a discretised mixture of logistics (PixelCNN++, Salimans et al. 2017) with K =
// `mixtures` components, laid out per pixel as
//
//   [0, K)                      mixture logits
//   [K + c·K, K + (c+1)·K)      means of channel c (c = 0 … C−1), in the data's [-1, 1] units
//   [K + C·K + c·K, …)          log-scales of channel c
//   [K + 2C·K + j·K, …)         channel-coupling coefficients (tanh'd), j = 0 … C(C−1)/2 − 1:
//                               for RGB j = 0: G from R, 1: B from R, 2: B from G
//
// so K·3 channels for grayscale and K·10 for RGB, as in PixelCNN++. The checks here state that
// count (E322, with a fix, a hover note and an inlay hint), accept colour only with the mixture,
// whose coupling orders the channels within a pixel, and reject `mixtures` without it (E213).
import type { Fix } from '../diagnostics';
import type { ParamValue } from '../model';
import { formatShape } from '../networks';
import type { FamilyCheck } from './family';

export type PixelOutput = 'softmax' | 'logistic';

export interface OutputLayout {
  readonly output: PixelOutput;
  readonly levels: number;
  readonly mixtures: number;
}

export const DEFAULT_MIXTURES = 5;

/** Channel pairs (earlier, later) the mixture couples, in coefficient order: RGB (0,1), (0,2), (1,2). */
export function couplings(channels: number): readonly (readonly [number, number])[] {
  const out: [number, number][] = [];
  for (let later = 1; later < channels; later++)
    for (let earlier = 0; earlier < later; earlier++) out.push([earlier, later]);
  return out;
}

/** Values per pixel the network outputs. */
export function outputChannels(layout: OutputLayout, channels: number): number {
  if (layout.output === 'softmax') return layout.levels * channels;
  return layout.mixtures * (1 + 2 * channels + couplings(channels).length);
}

/** What those values are, for messages, hover and docs. */
export function describeOutput(layout: OutputLayout, channels: number): string {
  const total = outputChannels(layout, channels);
  if (layout.output === 'softmax')
    return `${total} = logits over ${layout.levels} levels × ${channels} channel${channels === 1 ? '' : 's'}`;
  const per =
    channels === 1
      ? '1 logit, 1 mean, 1 log-scale'
      : `1 logit, ${channels} means, ${channels} log-scales, ${couplings(channels).length} channel-coupling coefficients`;
  return `${total} = ${layout.mixtures} logistic mixture component${layout.mixtures === 1 ? '' : 's'} × (${per})`;
}

/** The evaluated `levels` settings as a layout, or null while they have errors. */
export function layoutOf(levels: Readonly<Record<string, ParamValue>> | null): OutputLayout | null {
  if (typeof levels?.levels !== 'number') return null;
  return {
    levels: levels.levels,
    output: levels.output === 'logistic' ? 'logistic' : 'softmax',
    mixtures: typeof levels.mixtures === 'number' ? levels.mixtures : DEFAULT_MIXTURES,
  };
}

/** An edit that adds `output=logistic` to the `levels` line (or switches `output` to it). */
function logisticFix(
  text: string,
  levels: { readonly head: { readonly end: number; readonly block?: { readonly start: number } | null } },
  output: { readonly value: { readonly start: number; readonly end: number } } | undefined,
): Fix {
  if (output)
    return {
      title: 'Use `output=logistic`',
      edits: [{ start: output.value.start, end: output.value.end, newText: 'logistic' }],
    };
  // Before the block's `{` when the section has one, else at the end of the line.
  let at = levels.head.block ? levels.head.block.start : levels.head.end;
  while (at > 0 && /[ \t]/.test(text[at - 1])) at--;
  return { title: 'Add `output=logistic`', edits: [{ start: at, end: at, newText: ' output=logistic' }] };
}

/** E322: the network's output per pixel, at the data's resolution; notes for hover and inlay. */
export const outputChannelsCheck: FamilyCheck = ({
  data,
  networks,
  levels,
  lastLayer,
  sections,
  sink,
  notes,
  hints,
}) => {
  const net = networks.network;
  const shape = data[0]?.shape;
  const layout = layoutOf(levels);
  if (!shape || !layout) return;
  const want = [shape[0], shape[1], outputChannels(layout, shape[2])];
  const meaning = describeOutput(layout, shape[2]);
  const head = sections.get('levels')?.head;
  const note = `The network outputs \`${formatShape(want)}\`: for each of the ${shape[0]}x${shape[1]} pixels ${meaning}.`;
  if (head) {
    notes.set(head.start, note);
    hints.set(head.block ? head.block.start : head.end, {
      label: `→ network ${want.join('×')}`,
      tooltip: note.replace(/`/g, ''),
    });
  }
  const stmt = lastLayer.get('network');
  if (stmt) notes.set(stmt.start, [notes.get(stmt.start), note].filter(Boolean).join('\n\n'));
  // Colour with a softmax is colourCheck's error, whose fix changes the count asked for here.
  if (!net || (layout.output === 'softmax' && shape[2] > 1)) return;
  const out = net.outputShape;
  if (out.length === 3 && out.every((d, i) => d === want[i])) return;
  const last = net.layers[net.layers.length - 1];
  const fixes: Fix[] = [];
  if (
    stmt?.positional[0] &&
    (last?.kind === 'maskedconv' || last?.kind === 'conv') &&
    out.length === 3 &&
    out[0] === want[0] &&
    out[1] === want[1]
  ) {
    const node = stmt.positional[0];
    fixes.push({
      title: `Change the filters to ${want[2]}`,
      edits: [{ start: node.start, end: node.end, newText: String(want[2]) }],
    });
  }
  sink.add(
    'E322',
    stmt ?? sections.get('network')?.head.word ?? { start: 0, end: 0 },
    `The network outputs ${formatShape(out)} but must output ${formatShape(want)}: for each of the ${shape[0]}x${shape[1]} pixels ${meaning}. End it with \`maskedconv ${want[2]} kernel=1\`.`,
    fixes,
  );
};

/**
 * Colour needs the channels of a pixel ordered (R before G before B). The mixture's coupling
 * coefficients do that; a softmax per channel would need masks between channels, which are not
 * implemented, so colour with softmax is an error with the fix to use the mixture.
 */
export const colourCheck: FamilyCheck = ({ data, sections, levels, text, sink }) => {
  const d = data[0];
  const layout = layoutOf(levels);
  if (!d || d.shape[2] === 1 || !layout || layout.output === 'logistic') return;
  const section = sections.get('levels');
  const fixes = section ? [logisticFix(text, section, section.settings.get('output'))] : [];
  sink.add(
    'E206',
    sections.get('data')?.head.word ?? { start: 0, end: 0 },
    `This data has ${d.shape[2]} channels, but a softmax output predicts the channels of a pixel independently: masks between colour channels are not implemented. Use \`output=logistic\` on \`levels\` (a discretised logistic mixture whose coefficients predict G from R and B from R and G), or channels=1.`,
    fixes,
  );
};

/** E213: `mixtures` applies to the logistic mixture only. */
export const mixturesCheck: FamilyCheck = ({ levels, sections, text, sink }) => {
  const section = sections.get('levels');
  const written = section?.settings.get('mixtures');
  const layout = layoutOf(levels);
  if (!section || !written || !layout || layout.output === 'logistic') return;
  sink.add(
    'E213',
    written.name,
    '`mixtures` sets the components of `output=logistic`, but this model uses a softmax over the levels. Add `output=logistic` or remove `mixtures`.',
    [logisticFix(text, section, section.settings.get('output'))],
  );
};
