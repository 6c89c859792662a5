import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentTable, InvalidEnvironmentError, validateEnvironment } from './environment';

describe('the environment schema', () => {
  it('is the configuration table of the README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(environmentTable());
  });

  it('takes the defaults when nothing is set, and empty values as unset', () => {
    expect(validateEnvironment({})).toEqual({});
    expect(validateEnvironment({ PORT: '', MONGO_URL: '', PATH: '/usr/bin' })).toEqual({});
    expect(validateEnvironment({ PORT: '8080', READY_MAX_LAG_EVENTS: '5' })).toMatchObject({ PORT: 8080, READY_MAX_LAG_EVENTS: 5 });
  });

  it('names every wrong variable and what it accepts', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: '70000', MONGO_URL: 'localhost', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect((error as InvalidEnvironmentError).problems).toEqual([
      'PORT must be a port number (an integer 0–65535), not "70000"',
      'MONGO_URL must be a mongodb:// or mongodb+srv:// URL (e.g. mongodb://localhost:27017), not "localhost"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"',
    ]);
  });
});
