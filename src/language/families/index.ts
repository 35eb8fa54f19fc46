// The language's family registry: one module per family, one line each. The mapped type makes
// the compiler name any FamilyName without an entry (and any entry under the wrong name).
import type { FamilyName } from '../model';
import { cganLanguage } from './cgan';
import { cycleganLanguage } from './cyclegan';
import type { LanguageFamily } from './family';
import { ganLanguage } from './gan';
import { srganLanguage } from './srgan';
import { pixelcnnLanguage } from './pixelcnn';
import { proganLanguage } from './progan';
import { stackganLanguage } from './stackgan';
import { vaeLanguage } from './vae';
import { videoLanguage } from './video';

export const LANGUAGE_FAMILIES: { readonly [N in FamilyName]: LanguageFamily<N> } = {
  gan: ganLanguage,
  cgan: cganLanguage,
  vae: vaeLanguage,
  cyclegan: cycleganLanguage,
  srgan: srganLanguage,
  pixelcnn: pixelcnnLanguage,
  progan: proganLanguage,
  stackgan: stackganLanguage,
  video: videoLanguage,
};

export function languageFamily(name: FamilyName): LanguageFamily {
  return LANGUAGE_FAMILIES[name];
}

export type { LanguageFamily } from './family';
