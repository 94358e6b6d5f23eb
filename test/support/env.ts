// Jest setupFiles: keep a developer's .env from leaking into tests.
process.env.NODE_ENV = 'test';
