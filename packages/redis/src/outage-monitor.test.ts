import { describe, expect, it, vi } from 'vitest';
import { createOutageMonitor } from './outage-monitor.js';

describe('createOutageMonitor', () => {
  it('logs once per outage and once per recovery', () => {
    const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
    let now = 1000;
    const monitor = createOutageMonitor({ logger, fallbackDescription: 'misses', now: () => now });
    monitor.succeeded();
    expect(logger.info).not.toHaveBeenCalled();
    monitor.failed(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    monitor.failed(new Error('again'));
    expect(monitor.available).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toContain('ECONNREFUSED: refused');
    now = 3500;
    monitor.succeeded();
    monitor.succeeded();
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]?.[0]).toContain('2500 ms');
    monitor.failed('x');
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('falls back to warn without info and survives a throwing logger', () => {
    const logger = {
      warn: vi.fn(() => {
        throw new Error('broken');
      }),
      error: vi.fn(),
    };
    const monitor = createOutageMonitor({ logger, fallbackDescription: 'misses' });
    expect(() => monitor.failed(new Error('down'))).not.toThrow();
    expect(() => monitor.succeeded()).not.toThrow();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
