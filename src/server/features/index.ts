// Every editor feature the server offers; each is a thin adapter over src/language/services.
import type { Feature } from '../context';
import { codeActionsFeature } from './codeActions';
import { completionFeature } from './completion';
import { formattingFeature } from './formatting';
import { hoverFeature } from './hover';
import { inlayHintsFeature } from './inlayHints';
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
];
