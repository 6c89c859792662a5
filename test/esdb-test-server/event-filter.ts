/**
 * Server-side filters of $all reads and subscriptions (ReadReq.Options.FilterOptions), as the
 * server's EventFilter builds them: on the event type or on the stream name, by regex when one is
 * given, otherwise by prefixes.
 */
import { LogRecord } from './event-log';
import { streams } from './protocol';

export type RecordFilter = (record: LogRecord) => boolean;

export interface FilterSettings {
  matches: RecordFilter;
  /** A checkpoint is due every this many considered events (matching or not). */
  checkpointInterval: number;
}

/**
 * The server's page size for filtered reads when the client does not set a max search window
 * (ReadBatchSize in its Enumerators; 32 in the versions we read). It only sets how often
 * checkpoints come.
 */
const DEFAULT_SEARCH_WINDOW = 32;

export const matchEverything: RecordFilter = () => true;

export function filterSettings(options: streams.ReadReq.Options): FilterSettings | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const onEventType = filter.hasEventType();
  const expression = onEventType ? filter.getEventType() : filter.getStreamIdentifier();
  if (!expression) throw new Error('filter without an expression');

  const subject = onEventType ? (r: LogRecord) => r.type : (r: LogRecord) => r.streamId;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  // .NET Regex.IsMatch finds a match anywhere in the input, as RegExp.test does. The dialects differ
  // in corners (e.g. named groups, \A), which the filters clients send (^...$ lists) do not use.
  let test: (s: string) => boolean;
  if (regex) {
    const pattern = new RegExp(regex);
    test = (s) => pattern.test(s);
  } else {
    test = (s) => prefixes.some((prefix) => s.startsWith(prefix));
  }

  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    matches: (record) => test(subject(record)),
    checkpointInterval: Math.max(1, filter.getCheckpointintervalmultiplier()) * window,
  };
}
