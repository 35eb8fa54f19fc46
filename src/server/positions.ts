// Client positions may be out of range (stale, or simply wrong); every feature clamps them first.
import type { Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver';
import { toOffset } from './convert';

export function clampPosition(document: TextDocument, position: Position): Position {
  return document.positionAt(toOffset(document, position));
}

export function clampRange(document: TextDocument, range: Range): Range {
  const start = clampPosition(document, range.start);
  const end = clampPosition(document, range.end);
  const reversed = start.line > end.line || (start.line === end.line && start.character > end.character);
  return reversed ? { start: end, end: start } : { start, end };
}
