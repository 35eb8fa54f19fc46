// Practice warnings (W400-W407) from the DCGAN guidelines and common GAN failure modes.
// W408 (dense on a spatial tensor) is found during shape inference.
import type { Fix } from './diagnostics';
import { evalNumber } from './evaluate';
import type { NetworkFacts } from './families/family';
import type { NetworkRole, ResolvedOptimizer } from './model';
import { USUAL_MAX_LR, optimizerByName } from './schema/optimizers';
import type { MergedSection } from './sections';
import { optimizerParts } from './sections';
import type { Statement } from './syntax';

export interface LintInput extends NetworkFacts {
  readonly optimizers: Partial<Record<NetworkRole, ResolvedOptimizer>> | null;
}

const ACTIVATION_LAYERS = new Set(['relu', 'leakyrelu', 'tanh', 'sigmoid', 'elu']);
const WEIGHTED = new Set(['dense', 'conv', 'deconv']);

/** Every layer statement of a network, nested blocks included. */
function layerStatements(stmts: readonly Statement[]): Statement[] {
  return stmts.flatMap((s) => [s, ...(s.block ? layerStatements(s.block.statements) : [])]);
}

function namedValue(
  stmt: Statement,
  name: string,
): { node: Statement['named'][number]; value: string } | null {
  const arg = stmt.named.find((a) => a.name.name === name);
  if (!arg || arg.value.kind !== 'name') return null;
  return { node: arg, value: arg.value.name };
}

/** The activation a statement applies, with what to edit to change it. */
function activationOf(stmt: Statement): string | null {
  if (ACTIVATION_LAYERS.has(stmt.word.name)) return stmt.word.name;
  if (WEIGHTED.has(stmt.word.name)) return namedValue(stmt, 'activation')?.value ?? 'linear';
  return null;
}

function switchActivationFix(stmt: Statement, to: string): Fix | null {
  if (ACTIVATION_LAYERS.has(stmt.word.name)) {
    return {
      title: `Change to \`${to}\``,
      edits: [{ start: stmt.word.start, end: stmt.word.end, newText: to }],
    };
  }
  if (!WEIGHTED.has(stmt.word.name)) return null;
  const act = namedValue(stmt, 'activation');
  if (act) {
    const v = act.node.value;
    return { title: `Change to \`activation=${to}\``, edits: [{ start: v.start, end: v.end, newText: to }] };
  }
  return {
    title: `Add \`activation=${to}\``,
    edits: [{ start: stmt.end, end: stmt.end, newText: ` activation=${to}` }],
  };
}

function removeActivationFix(text: string, stmt: Statement): Fix | null {
  const act = namedValue(stmt, 'activation');
  if (!act) return null;
  let start = act.node.start;
  while (start > stmt.start && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return {
    title: 'Remove `activation=sigmoid` (the loss applies it)',
    edits: [{ start, end: act.node.end, newText: '' }],
  };
}

/** Layers that move values without changing them: the activation before them is the output's. */
const VALUE_PRESERVING = new Set(['reshape', 'flatten', 'upsample', 'dropout']);

/** The statement whose activation the network's output carries (`dense … activation=tanh; reshape …`). */
function activationSource(last: Statement | undefined, stmts: readonly Statement[]): Statement | undefined {
  if (!last || !VALUE_PRESERVING.has(last.word.name)) return last;
  const i = stmts.indexOf(last);
  if (i < 0) return last;
  for (let j = i; j >= 0; j--) if (!VALUE_PRESERVING.has(stmts[j].word.name)) return stmts[j];
  return last;
}

function usesBatchNorm(stmts: readonly Statement[]): Statement | null {
  for (const s of layerStatements(stmts)) {
    if (s.word.name === 'batchnorm') return s;
    if (namedValue(s, 'norm')?.value === 'batch') return s;
  }
  return null;
}

function networkStatements(
  sections: ReadonlyMap<string, MergedSection>,
  role: NetworkRole,
): readonly Statement[] {
  return sections.get(role)?.head.block?.statements ?? [];
}

export function lint(input: LintInput): void {
  const { family, data, sections, sink, loss } = input;
  const scale = data[0]?.scale;
  // W400 / W407: output activation vs data scale (or vs what the loss needs).
  const outRole = family.imageOutput.role;
  const last = activationSource(input.lastLayer.get(outRole), networkStatements(sections, outRole));
  if (last && scale && input.networks[outRole]) {
    const act = activationOf(last);
    const want = scale[0] === -1 ? 'tanh' : 'sigmoid';
    const required = family.imageOutput.requiredActivation?.(loss) ?? null;
    const linearAllowed = family.imageOutput.linearAllowed?.(loss) ?? false;
    if (required && act !== required.activation) {
      const fix = switchActivationFix(last, required.activation);
      sink.add(
        'W407',
        last,
        `${required.why}, but the ${outRole} ends with ${act ?? 'no activation'}: end it with ${required.activation} (${required.alternative}).`,
        fix ? [fix] : [],
      );
    } else if (act !== null && act !== want && !(linearAllowed && act === 'linear')) {
      const fix = switchActivationFix(last, want);
      sink.add(
        'W400',
        last,
        `The ${outRole} ends with ${act} but the data is scaled to [${scale.join(', ')}]: use ${want} so outputs match the data range.`,
        fix ? [fix] : [],
      );
    }
  }
  const critic = family.adversarial?.critic ?? null;
  for (const role of family.roles) {
    const stmts = layerStatements(networkStatements(sections, role));
    for (const s of stmts) {
      if (critic && (s.word.name === 'maxpool' || s.word.name === 'avgpool')) {
        sink.add(
          'W401',
          s.word,
          `Pooling in a GAN ${role} discards gradient information; downsample with a strided conv instead (DCGAN guideline).`,
        );
      }
      if (role === critic) {
        const act = activationOf(s);
        if (act === 'relu') {
          const fix = switchActivationFix(s, 'leakyrelu');
          sink.add(
            'W404',
            ACTIVATION_LAYERS.has(s.word.name) ? s.word : s,
            `Plain relu in a ${role} starves the generator of gradients for negative inputs; use leakyrelu (DCGAN guideline).`,
            fix ? [fix] : [],
          );
        }
      }
    }
  }
  if (!critic) return lintOptimization(input);
  // W403: sigmoid at the end of a discriminator (every adversarial loss here applies it itself).
  const dLast = activationSource(input.lastLayer.get(critic), networkStatements(sections, critic));
  if (dLast && activationOf(dLast) === 'sigmoid' && loss) {
    const fix = removeActivationFix(input.text, dLast);
    const edits =
      fix ??
      (ACTIVATION_LAYERS.has(dLast.word.name)
        ? { title: 'Remove the `sigmoid` layer', edits: [lineRemoval(input.text, dLast)] }
        : null);
    sink.add(
      'W403',
      dLast,
      `The ${critic} ends with sigmoid, but the ${loss.kind} loss expects raw logits: remove the sigmoid (it is applied inside the loss, in a numerically stable way).`,
      edits ? [edits] : [],
    );
  }
  // W402: batch norm in a WGAN-GP critic.
  if (loss?.kind === 'wasserstein' && (loss.params.gp as number) > 0) {
    const bn = usesBatchNorm(networkStatements(sections, critic));
    if (bn)
      sink.add(
        'W402',
        bn,
        'Batch norm in a Wasserstein-GP critic breaks the per-sample gradient penalty; use layer norm or no normalization (Gulrajani et al. 2017).',
      );
  }
  lintOptimization(input);
}

/** W405 and W406: learning rates and batch sizes, for every family. */
function lintOptimization({ data, sections, sink, family }: LintInput): void {
  // W405: learning rates.
  for (const section of sections.values()) {
    if (section.spec.kind !== 'optimizer') continue;
    const kind = optimizerParts(section.head).kind;
    const lr = section.settings.get('lr');
    if (!kind || kind.kind !== 'name' || !lr) continue;
    const limit = USUAL_MAX_LR[kind.name];
    const value = numberOf(lr.value);
    if (limit !== undefined && value !== null && Number.isFinite(value) && value > limit) {
      const usual = optimizerByName.get(kind.name)?.params.find((p) => p.name === 'lr')?.default;
      sink.add(
        'W405',
        lr.value,
        `lr=${value} is far above the usual range for ${kind.name} (≤ ${limit}; GANs commonly use 1e-4 to 5e-4): training will likely diverge.`,
        typeof usual === 'number'
          ? [
              {
                title: `Use the usual lr=${usual}`,
                edits: [{ start: lr.value.start, end: lr.value.end, newText: String(usual) }],
              },
            ]
          : [],
      );
    }
  }
  // W406: batch norm with batch 1.
  if (data.some((d) => d.batch === 1)) {
    for (const role of family.roles) {
      const bn = usesBatchNorm(networkStatements(sections, role));
      if (bn)
        sink.add(
          'W406',
          bn,
          'Batch norm with batch 1 normalizes each image by itself; use instance norm or a larger batch.',
        );
    }
  }
}

function numberOf(node: import('./syntax').ValueNode): number | null {
  const r = evalNumber(node);
  return r.ok ? r.value : null;
}

function lineRemoval(text: string, stmt: Statement) {
  let start = stmt.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = stmt.end;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  if (start > 0 && text[start - 1] !== '\n') return { start: stmt.start, end: stmt.end, newText: '' };
  return { start, end, newText: '' };
}
