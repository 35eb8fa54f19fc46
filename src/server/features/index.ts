// Every editor feature the server offers; each is a thin adapter over src/language.
import type { Feature } from '../context';
import { codeActionsFeature } from './codeActions';
import { completionFeature } from './completion';
import { formattingFeature } from './formatting';
import { hoverFeature } from './hover';
import { inlayHintsFeature } from './inlayHints';

export const features: readonly Feature[] = [
  completionFeature,
  hoverFeature,
  inlayHintsFeature,
  codeActionsFeature,
  formattingFeature,
];
