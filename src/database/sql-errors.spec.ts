import { QueryFailedError } from 'typeorm';
import { isDataError } from './sql-errors';

const pgError = (code: string | undefined, message = 'error') => Object.assign(new Error(message), code ? { code } : {});

describe('isDataError', () => {
  it('is true for SQLSTATE class 22, bare or wrapped by TypeORM', () => {
    expect(isDataError(pgError('22001', 'value too long for type character varying(32)'))).toBe(true);
    expect(isDataError(pgError('22P02', 'invalid input syntax for type uuid'))).toBe(true);
    expect(isDataError(new QueryFailedError('INSERT', [], pgError('22001')))).toBe(true);
  });

  it('is false for connection, timeout, lock and constraint errors', () => {
    for (const error of [
      pgError(undefined, 'Connection terminated unexpectedly'),
      pgError(undefined, 'Query read timeout'),
      pgError('ECONNREFUSED'),
      pgError('57014', 'canceling statement due to statement timeout'),
      pgError('55P03', 'canceling statement due to lock timeout'),
      pgError('08006'),
      pgError('40P01', 'deadlock detected'),
      pgError('23505'),
      'a string',
      null,
    ]) {
      expect(isDataError(error)).toBe(false);
    }
  });
});
