// Where the end-to-end harness keeps its things: the repository, the cached code-server, the results.
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');

/** code-server is installed once per checkout into this git-ignored folder (override with GAN_E2E_CODE_SERVER_DIR). */
export const codeServerDir = process.env.GAN_E2E_CODE_SERVER_DIR ?? join(repoRoot, '.e2e', 'code-server');

export const codeServerBin = join(codeServerDir, 'node_modules', '.bin', 'code-server');

/** Screenshots and server logs land here; the folder is git-ignored and kept by CI as an artifact. */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');
