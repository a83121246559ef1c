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
