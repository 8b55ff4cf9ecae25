import { MediawatchError } from '../contracts/errors.js';

/** A watch whose query cannot be compiled; carries what the config loader needs to point at it. */
export class QueryError extends MediawatchError {
  readonly watchId: string;
  readonly query: string;
  /** 1-based column in `query` where the problem is. */
  readonly column: number;
  readonly hint: string;

  constructor(watchId: string, query: string, column: number, message: string, hint: string) {
    super('config', `watch "${watchId}": ${message}`, { details: { watchId, query, column, hint } });
    this.name = 'QueryError';
    this.watchId = watchId;
    this.query = query;
    this.column = column;
    this.hint = hint;
  }
}

/** The error as several lines: the message, the query, a caret under the column, the hint. */
export function formatQueryError(e: QueryError): string {
  const lines = e.query.split('\n');
  // A multi-line query: show the line the column falls on.
  let col = e.column;
  let lineText = lines[0];
  for (const line of lines) {
    lineText = line;
    if (col <= line.length + 1) break;
    col -= line.length + 1;
  }
  const pad = ' '.repeat(Math.max(0, col - 1));
  return [e.message, `  ${lineText}`, `  ${pad}^`, `hint: ${e.hint}`].join('\n');
}
