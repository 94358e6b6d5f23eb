/**
 * SQLSTATE class 22, data exception (a value too long for its column, an invalid number or date): the values
 * themselves are wrong, so running the statement again can never succeed. Connection and timeout errors have
 * other classes (08, 57) or none at all.
 */
export function isDataError(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && code.startsWith('22');
}

function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // TypeORM's QueryFailedError copies the driver error's fields; a bare node-postgres error has them itself.
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
