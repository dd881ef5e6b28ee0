// The questions the history answers, as a typed in-process interface: the HTTP routes and other in-process
// code (brew logs) ask them here.
import type { Incident } from './ingest.js';
import type {
  CsvQuery,
  HistoryAnswer,
  HistoryEvent,
  HistoryQuery,
  IncidentQuery,
  RangeQuery,
} from './reader.js';

export interface HistoryQueries {
  history(q: HistoryQuery): Promise<HistoryAnswer>;
  /** A CSV export as chunks of text, read from the database as they are consumed. */
  csv(q: CsvQuery): Promise<AsyncGenerator<string>>;
  events(q: RangeQuery): Promise<HistoryEvent[]>;
  incidents(q?: IncidentQuery): Promise<Incident[]>;
}
