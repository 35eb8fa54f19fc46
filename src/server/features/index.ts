// Every feature the server offers; each is a thin adapter over src/language (services, or the
// analysis itself for the extension's gan/models request).
import type { Feature } from '../context';
import { codeActionsFeature } from './codeActions';
import { completionFeature } from './completion';
import { formattingFeature } from './formatting';
import { hoverFeature } from './hover';
import { inlayHintsFeature } from './inlayHints';
import { modelsFeature } from './models';
import { navigationFeature } from './navigation';
import { semanticTokensFeature } from './semanticTokens';
import { symbolsFeature } from './symbols';

export const features: readonly Feature[] = [
  completionFeature,
  hoverFeature,
  inlayHintsFeature,
  codeActionsFeature,
  formattingFeature,
  symbolsFeature,
  semanticTokensFeature,
  navigationFeature,
  modelsFeature,
];
