import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORPUS_DIR } from '../../../../test/support/corpus';
import { signKapso, signMeta, verifyKapsoSignature, verifyMetaSignature } from './webhook-signature';

const VECTORS_DIR = resolve(CORPUS_DIR, 'meta/signature-vectors');

interface SignatureVector {
  body_file?: string;
  body_inline?: string;
  app_secret: string;
  x_hub_signature_256: string;
}

const vectors = JSON.parse(readFileSync(resolve(VECTORS_DIR, 'vectors.json'), 'utf8')) as SignatureVector[];

function vectorBody(vector: SignatureVector): Buffer {
  if (vector.body_file) return readFileSync(resolve(VECTORS_DIR, vector.body_file));
  return Buffer.from(vector.body_inline ?? '', 'utf8');
}

describe('verifyMetaSignature', () => {
  it('has vectors to check in the corpus', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(2);
  });

  it.each(vectors.map((v) => [v.body_file ?? `inline "${v.body_inline}"`, v] as const))(
    'accepts the published signature when the body is %s',
    (_name, vector) => {
      expect(verifyMetaSignature(vectorBody(vector), vector.x_hub_signature_256, vector.app_secret)).toBe(true);
    },
  );

  it.each(vectors.map((v) => [v.body_file ?? `inline "${v.body_inline}"`, v] as const))(
    'rejects the signature when the secret is wrong for %s',
    (_name, vector) => {
      expect(verifyMetaSignature(vectorBody(vector), vector.x_hub_signature_256, `${vector.app_secret}x`)).toBe(false);
    },
  );

  it('rejects the signature when the body was re-serialised', () => {
    const vector = vectors.find((v) => v.body_file)!;
    const raw = vectorBody(vector);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')), null, 2), 'utf8');
    expect(verifyMetaSignature(reserialised, vector.x_hub_signature_256, vector.app_secret)).toBe(false);
  });

  it('rejects the signature when Meta escaped slashes and the body is re-serialised', () => {
    const raw = readFileSync(resolve(VECTORS_DIR, '../inbound-document.lowkruc-go-whatsapp-api.json'));
    const header = signMeta(raw, 'secret');
    expect(raw.toString('utf8')).toContain('\\/');
    expect(verifyMetaSignature(raw, header, 'secret')).toBe(true);
    expect(verifyMetaSignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')))), header, 'secret')).toBe(false);
  });

  it('rejects the signature when one body byte changes', () => {
    const vector = vectors.find((v) => v.body_file)!;
    const body = Buffer.from(vectorBody(vector));
    body[body.length - 1] = 0x20;
    expect(verifyMetaSignature(body, vector.x_hub_signature_256, vector.app_secret)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', signMeta(Buffer.from('test'), 'TEST_APP_SECRET').slice('sha256='.length)],
    ['with another algorithm', `sha1=${'a'.repeat(40)}`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['truncated', signMeta(Buffer.from('test'), 'TEST_APP_SECRET').slice(0, -2)],
    ['too long', `${signMeta(Buffer.from('test'), 'TEST_APP_SECRET')}00`],
  ])('returns false when the header is %s', (_name, header) => {
    expect(verifyMetaSignature(Buffer.from('test'), header, 'TEST_APP_SECRET')).toBe(false);
  });

  it('accepts an upper-case hex digest and surrounding whitespace when the bytes match', () => {
    const header = signMeta(Buffer.from('test'), 'TEST_APP_SECRET');
    expect(verifyMetaSignature(Buffer.from('test'), ` sha256=${header.slice(7).toUpperCase()} `, 'TEST_APP_SECRET')).toBe(true);
  });

  it('returns false when the configured secret is empty', () => {
    const header = signMeta(Buffer.from('test'), '');
    expect(verifyMetaSignature(Buffer.from('test'), header, '')).toBe(false);
  });
});

describe('verifyKapsoSignature', () => {
  const body = readFileSync(resolve(VECTORS_DIR, '../../kapso/whatsapp.message.received.json'));

  it('accepts a bare hex signature of the raw bytes', () => {
    expect(verifyKapsoSignature(body, signKapso(body, 'kapso-secret'), 'kapso-secret')).toBe(true);
  });

  it('rejects the signature when the secret is wrong', () => {
    expect(verifyKapsoSignature(body, signKapso(body, 'kapso-secret'), 'other-secret')).toBe(false);
  });

  it('rejects the signature when the body was re-serialised', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(verifyKapsoSignature(reserialised, signKapso(body, 'kapso-secret'), 'kapso-secret')).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['prefixed like Meta', `sha256=${signKapso(body, 'kapso-secret')}`],
    ['truncated', signKapso(body, 'kapso-secret').slice(0, 10)],
  ])('returns false when the header is %s', (_name, header) => {
    expect(verifyKapsoSignature(body, header, 'kapso-secret')).toBe(false);
  });
});

describe('signMeta', () => {
  it('matches the Node SDK vector when signing "test"', () => {
    expect(signMeta(Buffer.from('test'), 'TEST_APP_SECRET')).toBe(
      'sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221',
    );
  });
});
