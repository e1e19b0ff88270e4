import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/http/logger.ts';

describe('structured logger', () => {
  it('writes one JSON object per line with the base fields', () => {
    const lines: string[] = [];
    createLogger('info', { fn: 'ai' }, (line) => lines.push(line))
      .child({ requestId: 'r1' })
      .info('hello', { a: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'hello',
      fn: 'ai',
      requestId: 'r1',
      a: 1,
    });
  });

  it('never writes secrets', () => {
    const lines: string[] = [];
    createLogger('debug', {}, (line) => lines.push(line)).warn('x', {
      authorization: 'Bearer abc',
      apiKey: 'sk-123',
      webhookSecret: 's',
    });
    expect(lines[0]).not.toContain('abc');
    expect(lines[0]).not.toContain('sk-123');
    expect(JSON.parse(lines[0]!).authorization).toBe('[redacted]');
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', {}, (line) => lines.push(line));
    logger.info('quiet');
    logger.error('loud');
    expect(lines).toHaveLength(1);
  });
});
