import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('dispatch worker settings', () => {
  it('default to a 5 s heartbeat and a 15 s stale timeout', () => {
    expect(loadConfig({}).dispatch).toMatchObject({ heartbeatMs: 5000, staleMs: 15_000 });
  });

  it('read CANDOR_DISPATCH_HEARTBEAT_SECONDS and CANDOR_DISPATCH_STALE_SECONDS', () => {
    const config = loadConfig({
      CANDOR_DISPATCH_HEARTBEAT_SECONDS: '0.2',
      CANDOR_DISPATCH_STALE_SECONDS: '1',
    });
    expect(config.dispatch).toMatchObject({ heartbeatMs: 200, staleMs: 1000 });
  });

  it('refuse a stale timeout that would presume live workers dead', () => {
    expect(() =>
      loadConfig({ CANDOR_DISPATCH_HEARTBEAT_SECONDS: '5', CANDOR_DISPATCH_STALE_SECONDS: '6' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ CANDOR_DISPATCH_STALE_SECONDS: '0' })).toThrow(
      /CANDOR_DISPATCH_STALE_SECONDS \("0"\): must be positive/,
    );
  });
});
