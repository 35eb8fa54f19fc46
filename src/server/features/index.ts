// Every editor feature the server offers; each is a thin adapter over src/language.
import type { Feature } from '../context';
import { codeActionsFeature } from './codeActions';

export const features: readonly Feature[] = [codeActionsFeature];
