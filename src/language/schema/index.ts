// The one schema: every family, section, setting, data source, loss, optimizer, layer and
// parameter is declared once, with its type, default, range, documentation and (for layers) its
// shape and parameter-count functions. The parser, checker, completion, hover, inlay hints,
// formatter, CLI and trainer all read it through this module. The tables live beside it by
// kind; a family's own sections and losses live in its module under src/language/families/.
import { LANGUAGE_FAMILIES } from '../families';
import type { LanguageFamily } from '../families/family';
import type { DataSourceName, FamilyName } from '../model';
import { DATA_SOURCES } from './data';
import type { SectionDecl } from './sections';
import { CLOSING_SECTIONS, DATA_SECTION, METRICS } from './sections';
import type { KindSpec } from './values';
import { byName } from './values';

export * from './values';
export * from './layers';
export * from './data';
export * from './optimizers';
export * from './engines';
export { BACKENDS, METRICS } from './sections';
export type { MetricSpec, SectionDecl, SectionKind } from './sections';

/** A section with the families that use it. */
export interface SectionSpec extends SectionDecl {
  readonly families: readonly FamilyName[];
}

/** A family as the schema lists it (its language module has the rules too). */
export type FamilySpec = LanguageFamily;

export const FAMILIES: readonly FamilySpec[] = Object.values(LANGUAGE_FAMILIES);

const ALL: readonly FamilyName[] = FAMILIES.map((f) => f.name);

function familySections(): SectionSpec[] {
  const out = new Map<string, SectionSpec>();
  for (const family of FAMILIES) {
    for (const decl of family.sections) {
      const seen = out.get(decl.name);
      out.set(decl.name, { ...(seen ?? decl), families: [...(seen?.families ?? []), family.name] });
    }
  }
  // The declared order of the first family to list each section, latent and condition before networks.
  const rank = (s: SectionSpec): number => (s.kind === 'network' ? 1 : 0);
  return [...out.values()].sort((a, b) => rank(a) - rank(b));
}

export const SECTIONS: readonly SectionSpec[] = [
  { ...DATA_SECTION, families: ALL },
  ...familySections(),
  ...CLOSING_SECTIONS.map((s) => ({ ...s, families: ALL })),
];

/** Families announced for later releases: recognised, but not yet supported. */
export const PLANNED_FAMILIES = [] as const;

export const LOSSES: Readonly<Record<FamilyName, readonly KindSpec[]>> = Object.fromEntries(
  FAMILIES.map((f) => [f.name, f.losses]),
) as Record<FamilyName, readonly KindSpec[]>;

export const DEFAULT_LOSS: Readonly<Record<FamilyName, string>> = Object.fromEntries(
  FAMILIES.map((f) => [f.name, f.defaultLoss]),
) as Record<FamilyName, string>;

export const sectionByName = byName(SECTIONS);
export const familyByName = byName(FAMILIES);
export const dataSourceByName = byName(DATA_SOURCES);

/** The label names of a built-in source, in label order; null when unlabelled or only known when read (folder). */
export function sourceClassNames(data: {
  readonly source: DataSourceName;
  readonly classes: number | null;
}): readonly string[] | null {
  if (data.classes === null) return null;
  const names = dataSourceByName.get(data.source)?.classNames;
  return names && names.length === data.classes ? names : null;
}
export const metricByName = byName(METRICS);

export function lossesFor(family: FamilyName): readonly KindSpec[] {
  return LANGUAGE_FAMILIES[family].losses;
}
