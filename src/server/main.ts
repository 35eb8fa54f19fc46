// Entry point of dist/server.js: `node dist/server.js --stdio` (or started by the VS Code client over IPC).
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
