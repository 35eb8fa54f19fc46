// Resolves a model's `data` sections into sources: one for most families, two told apart by
// `domain=a|b` where the family's data layout says so.
import type { DiagnosticSink } from './diagnostics';
import { unknownName } from './diagnostics';
import { LANGUAGE_FAMILIES } from './families';
import type { LanguageFamily } from './families/family';
import type { DataSourceName, ParamValue, ResolvedData } from './model';
import { evalSettings } from './resolvers';
import { DATA_COMMON_PARAMS, DATA_SOURCES, dataSourceByName } from './schema';
import type { MergedSection } from './sections';
import type { GanFile, ModelDecl } from './syntax';
import type { LineMap } from './syntax';

export function resolveData(
  file: GanFile,
  lines: LineMap,
  decl: ModelDecl,
  family: LanguageFamily,
  sections: ReadonlyMap<string, MergedSection>,
  sink: DiagnosticSink,
): ResolvedData[] {
  const dataSections = [...sections.values()].filter((s) => s.spec.kind === 'data');
  const out: ResolvedData[] = [];
  if (family.dataLayout === 'domains') {
    for (const s of dataSections) {
      const domain = s.settings.get('domain')?.value;
      if (domain && s.key !== 'data:a' && s.key !== 'data:b') {
        const word = domain.kind === 'name' ? domain.name : file.text.slice(domain.start, domain.end);
        // The domain still missing is the likelier meaning.
        const order = sections.has('data:a') ? ['b', 'a'] : ['a', 'b'];
        const u = unknownName('domain', domain, word, order, '');
        sink.add('E212', domain, `${u.message} A ${family.name} model has domains a and b.`, u.fixes);
      }
      if (s.key === 'data')
        sink.add(
          'E207',
          s.head.word,
          `${family.name} takes two data sources: add \`domain=a\` to one and \`domain=b\` to the other.`,
        );
    }
    const a = sections.get('data:a');
    const b = sections.get('data:b');
    if (dataSections.length > 0 && (!a || !b)) {
      const missing = !a ? 'a' : 'b';
      sink.add(
        'E208',
        decl.name ?? decl.keyword,
        `${family.name} needs a data source for domain ${missing} (\`data SOURCE domain=${missing}\`).`,
      );
    }
    for (const s of [a, b]) if (s) pushData(s);
  } else {
    for (const s of dataSections) {
      if (s.key !== 'data') {
        sink.add(
          'E209',
          s.settings.get('domain')?.name ?? s.head.word,
          `\`domain\` is for ${twoDomainFamilies()}'s two sources; a ${family.name} model has one \`data\`.`,
        );
      }
    }
    const s = sections.get('data') ?? dataSections[0];
    if (s) pushData(s);
  }
  return out;

  function pushData(s: MergedSection): void {
    const srcNode = s.head.positional[0];
    if (srcNode?.kind === 'string') {
      sink.add(
        'E214',
        srcNode,
        `A path needs the \`folder\` source: \`data folder ${file.text.slice(srcNode.start, srcNode.end)}\`.`,
        [
          {
            title: 'Add `folder`',
            edits: [{ start: srcNode.start, end: srcNode.start, newText: 'folder ' }],
          },
        ],
      );
      return;
    }
    if (srcNode && srcNode.kind !== 'name' && srcNode.kind !== 'missing') {
      // `fashion-mnist` reads as a subtraction: name the word the user wrote.
      const word = file.text.slice(srcNode.start, srcNode.end);
      const u = unknownName(
        'data source',
        srcNode,
        word,
        DATA_SOURCES.map((d) => d.name),
      );
      sink.add('E212', srcNode, u.message, u.fixes);
      return;
    }
    if (!srcNode || srcNode.kind !== 'name') {
      sink.add(
        'E207',
        s.head.word,
        `\`data\` needs a source: one of ${DATA_SOURCES.map((d) => d.name).join(', ')}.`,
      );
      return;
    }
    const src = dataSourceByName.get(srcNode.name);
    if (!src) {
      const u = unknownName(
        'data source',
        srcNode,
        srcNode.name,
        DATA_SOURCES.map((d) => d.name),
      );
      sink.add('E212', srcNode, u.message, u.fixes);
      return;
    }
    const params = evalSettings(s, [...src.params, ...DATA_COMMON_PARAMS], `data ${src.name}`, sink, 1);
    if (!params) return;
    const size = params.size as readonly number[] | undefined;
    if (size && size.length === 3) {
      const channels = s.settings.get('channels');
      if (channels && params.channels !== size[2]) {
        const sizeNode = s.settings.get('size')?.value ?? s.head.word;
        sink.add(
          'E213',
          sizeNode,
          `\`size=${size.join('x')}\` means ${size[2]} channels but \`channels=${String(params.channels)}\` is also set: keep one of them.`,
          [
            {
              title: `Change to \`size=${size[0]}x${size[1]}\``,
              edits: [{ start: sizeNode.start, end: sizeNode.end, newText: `${size[0]}x${size[1]}` }],
            },
          ],
        );
        return;
      }
      params.channels = size[2];
    }
    const described = src.describe(params);
    const options: Record<string, ParamValue> = {};
    for (const p of src.params) if (params[p.name] !== undefined) options[p.name] = params[p.name];
    out.push({
      source: src.name as DataSourceName,
      domain: (params.domain as 'a' | 'b' | undefined) ?? null,
      shape: described.shape,
      classes: described.classes,
      scale: params.scale as [number, number],
      batch: params.batch as number,
      split: params.split as 'train' | 'test',
      limit: (params.limit as number | undefined) ?? null,
      shuffle: params.shuffle as boolean,
      options,
      line: lines.position(s.head.start).line,
    });
  }
}

function twoDomainFamilies(): string {
  return Object.values(LANGUAGE_FAMILIES)
    .filter((f) => f.dataLayout === 'domains')
    .map((f) => f.name)
    .join(', ');
}
