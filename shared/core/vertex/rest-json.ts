/**
 * The REST JSON of a model value (a NasJob, a draft, a trial): plain data that Firestore and Pub/Sub accept.
 * UnknownEnum values turn back into the raw name or number the server sent.
 */
export function toRestJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
