/** The public surface of the log: the structured logger and the redaction every line goes through. */
export { createLogger, silentLogger, type Logger } from './logger';
export { redact } from './redact';
