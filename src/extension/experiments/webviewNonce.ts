import { randomBytes } from 'node:crypto';

/** A fresh value per page load for the Content-Security-Policy's script nonce. */
export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}
