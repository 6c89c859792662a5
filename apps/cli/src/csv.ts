import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV as spreadsheets export it (RFC 4180): quoted fields with doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF, an optional UTF-8 byte-order mark (Excel writes one). Rows
 * keep their own number of fields, so that the importer can report a short or long row by line.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

/** One CSV record, with its line break; null and undefined are empty fields. */
export function csvLine(values: readonly unknown[]): string {
  return stringify([values.map((v) => (v === null || v === undefined ? '' : String(v)))]);
}
