/**
 * Size limits that several layers must agree on, so the app's own UI can never
 * send a message the transport refuses.
 */

/** The longest connections import the app accepts, in UTF-16 code units (as zod and `String.length` count). */
export const maxImportChars = 1_000_000;

/**
 * The largest message the web host's WebSocket accepts. JSON writes one code unit
 * of a string as at most 6 bytes (`\u001f`), and the rest of a request (id,
 * method, other fields) is far below the margin.
 */
export const maxRequestBytes = maxImportChars * 6 + 64 * 1024;
