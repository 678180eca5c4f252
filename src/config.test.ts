import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to SQLite in ./data on port 8080', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.database).toEqual({ dialect: 'sqlite', file: path.resolve('./data/candor.db') });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.defaultLanguage).toBe('nl');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    const config = loadConfig({ CANDOR_DATABASE_URL: 'postgres://u@db:5432/candor' });
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://u@db:5432/candor' });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      CANDOR_DATA_DIR: '/srv/candor',
      CANDOR_PORT: '9090',
      CANDOR_PUBLIC_URL: 'https://status.example.nl/',
      CANDOR_SMTP_URL: 'smtp://mail.example.nl:25',
      CANDOR_DEFAULT_LANGUAGE: 'en',
    });
    expect(config.database).toEqual({ dialect: 'sqlite', file: '/srv/candor/candor.db' });
    expect(config.port).toBe(9090);
    expect(config.publicUrl).toBe('https://status.example.nl');
    expect(config.smtpUrl).toBe('smtp://mail.example.nl:25');
    expect(config.defaultLanguage).toBe('en');
  });

  it('reports every invalid value at once, naming the variable and the value', () => {
    let error: unknown;
    try {
      loadConfig({
        CANDOR_PORT: 'eighty',
        CANDOR_DATABASE_URL: 'mysql://x',
        CANDOR_PUBLIC_URL: 'ftp://x',
        CANDOR_SMTP_URL: 'http://mail',
        CANDOR_DEFAULT_LANGUAGE: 'de',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/CANDOR_PORT \("eighty"\): must be a number/);
    expect(problems.join('\n')).toMatch(/CANDOR_DATABASE_URL \("mysql:\/\/x"\): must be postgres/);
    expect(problems.join('\n')).toMatch(/CANDOR_PUBLIC_URL .*http/);
    expect(problems.join('\n')).toMatch(/CANDOR_SMTP_URL .*smtp/);
    expect(problems.join('\n')).toMatch(/CANDOR_DEFAULT_LANGUAGE \("de"\): must be nl or en/);
  });

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig({ CANDOR_PORT: '70000' })).toThrow(/between 1 and 65535/);
  });
});
