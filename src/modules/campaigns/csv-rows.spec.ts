import { Readable } from 'node:stream';
import { csvRecords, parseCsvLine } from './csv-rows';

async function all(text: string) {
  const out = [];
  for await (const r of csvRecords(Readable.from([text]))) out.push(r);
  return out;
}

describe('parseCsvLine', () => {
  it('reads quoted fields with commas and escaped quotes', () => {
    expect(parseCsvLine('"+56 9 1234 5678","Pérez, Ana","say ""hi"""')).toEqual(['+56 9 1234 5678', 'Pérez, Ana', 'say "hi"']);
  });
});

describe('csvRecords', () => {
  it('maps numbered columns to positional variables and others to named ones', async () => {
    expect(await all('phone,2,1\r\n+56911111111,b,a\n')).toEqual([{ line: 2, phone: '+56911111111', variables: ['a', 'b'] }]);
    expect(await all('\uFEFFnombre,phone\nAna,+56911111111\n')).toEqual([{ line: 2, phone: '+56911111111', variables: { nombre: 'Ana' } }]);
  });

  it('reports rows without a phone and a header without a phone column', async () => {
    expect(await all('phone,1\n,x\n')).toEqual([{ line: 2, error: 'empty phone' }]);
    expect((await all('name\nAna\n'))[0]).toEqual({ line: 1, error: 'the header needs a "phone" column' });
  });
});
