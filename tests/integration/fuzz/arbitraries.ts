/**
 * Hostile values for the fuzz suite: NUL bytes, lone surrogates, very long strings, emoji,
 * control characters, numbers and nested values where a string is expected, arrays for strings.
 */
import fc from 'fast-check';

/** One hostile scalar, as text. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udc00x', 'x\ud83d', '😀'.repeat(300), '%00', '%ZZ', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '{}', '[]', 'null', '-1', '1e309', ' ', ''),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 3000, maxLength: 9000 }),
  fc.nat().map(String),
);

/** A value for a form field: text, or an array of texts (the field repeated). */
export const formValue: fc.Arbitrary<string | string[]> = fc.oneof({ weight: 4, arbitrary: hostileText }, { weight: 1, arbitrary: fc.array(hostileText, { minLength: 2, maxLength: 3 }) });

/** A value for a JSON member: any JSON-ish value, strings hostile. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Some of `names`, each with a hostile form value. */
export function formOf(names: readonly string[], fixed: Record<string, string> = {}): fc.Arbitrary<Array<[string, string | string[]]>> {
  return fc
    .record(Object.fromEntries(names.map((name) => [name, formValue])), { requiredKeys: [] })
    .map((fields) => [...Object.entries(fixed), ...Object.entries(fields)] as Array<[string, string | string[]]>);
}

/** How a body is sent: the right encoding, a wrong content type, or a charset nobody speaks. */
export const encoding = fc.constantFrom('form', 'json', 'text/plain', 'application/xml', 'form; charset=utf-16', 'json; charset=latin1', 'none');
export type Encoding = 'form' | 'json' | 'text/plain' | 'application/xml' | 'form; charset=utf-16' | 'json; charset=latin1' | 'none';

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** A base64url member of a WebAuthn response: plausible, huge, not base64url, or of another type. */
const webAuthnBytes: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('AAAA', 'A'.repeat(5000), 'A'.repeat(20_000), '====', 'a+b/c', ''),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  // clientDataJSON that decodes to JSON of the wrong shape or hostile text.
  fc.record({ type: fc.oneof(fc.constantFrom('webauthn.get', 'webauthn.create'), hostileText), challenge: hostileText, origin: hostileText }, { requiredKeys: [] }).map((data) => b64url(JSON.stringify(data))),
  hostileText.map(b64url),
  jsonValue,
);

/**
 * What a page script could post as a WebAuthn response (the `response` form field): objects of
 * the registration or assertion shape with members missing, of the wrong type, huge or hostile,
 * other JSON, and text that is not JSON at all.
 */
export const webAuthnResponseText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc
    .record(
      {
        id: webAuthnBytes,
        rawId: webAuthnBytes,
        type: fc.oneof(fc.constant('public-key'), jsonValue),
        response: fc.oneof(
          fc.record({ clientDataJSON: webAuthnBytes, attestationObject: webAuthnBytes, authenticatorData: webAuthnBytes, signature: webAuthnBytes, userHandle: webAuthnBytes, transports: fc.oneof(fc.constant(['internal']), jsonValue) }, { requiredKeys: [] }),
          jsonValue,
        ),
        clientExtensionResults: jsonValue,
        authenticatorAttachment: fc.oneof(fc.constantFrom('platform', 'cross-platform'), jsonValue),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: jsonValue.map((value) => JSON.stringify(value) ?? 'undefined') },
  { weight: 1, arbitrary: fc.constantFrom('{', 'nul', '[]', '{"__proto__":{"admin":true}}', `${'['.repeat(3000)}${']'.repeat(3000)}`, '"\\ud800"', '{"id":"\\u0000"}') },
  { weight: 1, arbitrary: hostileText },
);
