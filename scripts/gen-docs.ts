// Writes the generated half of docs/language.md from the schema (the one table), between markers.
// `node --import tsx scripts/gen-docs.ts` rewrites it; `--check` fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, schema } from '../src/language';

const BEGIN = '<!-- BEGIN GENERATED FROM src/language/schema -->';
const END = '<!-- END GENERATED -->';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const def = (p: schema.ParamSpec): string =>
  p.required
    ? ', required'
    : p.default === undefined || p.default === null
      ? ', optional'
      : `, default \`${schema.formatValue(p.default)}\``;
const params = (ps: readonly schema.ParamSpec[]): string =>
  ps.length === 0
    ? '—'
    : ps
        .map(
          (p) =>
            `\`${p.positional ? p.name.toUpperCase() : p.name + '='}\` ${esc(schema.describeType(p.type))}${def(p)}${p.families ? ` (${p.families.join(', ')} only)` : ''}`,
        )
        .join('<br>');

export function generatedReference(): string {
  const out: string[] = [];
  out.push('## Families', '', '| family | required sections | networks | description |', '|---|---|---|---|');
  for (const f of schema.FAMILIES)
    out.push(
      `| \`${f.name}\` | ${f.required.map((r) => `\`${r}\``).join(', ')} | ${f.roles.join(', ')} | ${esc(f.doc)} |`,
    );
  const planned: readonly string[] = schema.PLANNED_FAMILIES;
  if (planned.length)
    out.push('', `Planned, recognised but not yet supported: ${planned.map((f) => `\`${f}\``).join(', ')}.`);
  out.push('', '## Sections', '', '| section | families | settings | description |', '|---|---|---|---|');
  for (const s of schema.SECTIONS)
    out.push(`| \`${s.name}\` | ${s.families.join(', ')} | ${params(s.params)} | ${esc(s.doc)} |`);
  out.push(
    '',
    '## Data sources',
    '',
    'Settings every source takes: ' + params(schema.DATA_COMMON_PARAMS).replace(/<br>/g, '; ') + '.',
    '',
  );
  out.push('| source | settings | description |', '|---|---|---|');
  for (const d of schema.DATA_SOURCES) out.push(`| \`${d.name}\` | ${params(d.params)} | ${esc(d.doc)} |`);
  out.push('', `Emoji labels, in order: ${schema.EMOJI_CATEGORIES.join(', ')}.`);
  out.push('', '## Losses', '', '| family | loss | settings | description |', '|---|---|---|---|');
  for (const [fam, kinds] of Object.entries(schema.LOSSES))
    for (const k of kinds) out.push(`| ${fam} | \`${k.name}\` | ${params(k.params)} | ${esc(k.doc)} |`);
  out.push('', '## Optimizers', '', '| optimizer | settings | description |', '|---|---|---|');
  for (const o of schema.OPTIMIZERS) out.push(`| \`${o.name}\` | ${params(o.params)} | ${esc(o.doc)} |`);
  out.push('', '## Layers', '', '| layer | arguments | description |', '|---|---|---|');
  for (const l of schema.LAYERS) out.push(`| \`${l.name}\` | ${params(l.params)} | ${esc(l.doc)} |`);
  out.push('', '## Metrics (`evaluate`)', '', '| metric | settings | description |', '|---|---|---|');
  for (const m of schema.METRICS) out.push(`| \`${m.name}\` | ${params(m.params)} | ${esc(m.doc)} |`);
  out.push('', '## Diagnostic codes', '', '| code | severity | meaning |', '|---|---|---|');
  for (const [code, what] of Object.entries(DIAGNOSTIC_CODES))
    out.push(
      `| <a id="${code.toLowerCase()}"></a>${code} | ${code.startsWith('W') ? 'warning' : 'error'} | ${esc(what)} |`,
    );
  return out.join('\n');
}

export function withGenerated(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/language.md lacks the generated-section markers');
  return doc.slice(0, a + BEGIN.length) + '\n\n' + generatedReference() + '\n\n' + doc.slice(b);
}

if (require.main === module) {
  const path = join(__dirname, '..', 'docs', 'language.md');
  const doc = readFileSync(path, 'utf8');
  const next = withGenerated(doc);
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/language.md is out of date: run `node --import tsx scripts/gen-docs.ts`');
      process.exit(1);
    }
  } else writeFileSync(path, next);
}
