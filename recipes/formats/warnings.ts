/**
 * Something an import tolerated or could not carry over. Nothing is fixed silently: each tolerance an
 * importer applies yields one of these, so a person can check the result.
 */
export interface FormatWarning {
  /** Stable identifier, e.g. `XML_ENCODING_MISLABELLED`. */
  code: string;
  /** English sentence naming the file part and what was done. */
  message: string;
}
