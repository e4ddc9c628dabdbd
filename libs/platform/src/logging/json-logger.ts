import { LoggerService, LogLevel } from '@nestjs/common';
import { redact, redactText } from './redact';

/** LOG_LEVEL names the least severe level written: `log` writes log, warn, error and fatal. */
const RANK: Record<LogLevel, number> = { verbose: 0, debug: 1, log: 2, warn: 3, error: 4, fatal: 5 };

export type LogSink = (line: string) => void;

const stdout: LogSink = (line) => void process.stdout.write(line);

/**
 * Nest's logger as JSON lines on stdout: `{"time","level","context","msg",...fields}`. A message
 * may be an object, whose fields join the line (the request and job logs). Everything written is
 * redacted first (see redact.ts): no secret, token, access code or reporter identity is logged.
 */
export class JsonLogger implements LoggerService {
  private threshold: number;

  constructor(level: LogLevel = 'log', private readonly sink: LogSink = stdout) {
    this.threshold = RANK[level];
  }

  setLogLevels(levels: LogLevel[]): void {
    this.threshold = Math.min(...levels.map((l) => RANK[l]));
  }

  isLevelEnabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls `error(message, stack?, context?)`. */
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    // Nest passes the context last (a string); an error's stack may come before it.
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    if (message instanceof Error) Object.assign(line, { msg: redactText(message.message), stack: message.stack ? redactText(message.stack) : undefined });
    else if (message !== null && typeof message === 'object') Object.assign(line, redact(message));
    else line.msg = redactText(String(message));
    const stack = params.find((p): p is string => typeof p === 'string' && p.includes('\n    at '));
    if (stack && line.stack === undefined) line.stack = redactText(stack);
    this.sink(`${JSON.stringify(line)}\n`);
  }
}
