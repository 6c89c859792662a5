import fc from 'fast-check';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

const VIETNAMESE = ['Sáng kiến số hóa hồ sơ', 'Nguyễn Thị Hoa', 'Cải tiến, tiết kiệm điện', 'Đơn vị "mẫu"'];

/**
 * Values that a JSON schema of the OpenAPI document accepts, mostly, and some it does not: a fuzzer
 * must try both the well-formed requests (to reach the handlers) and the malformed ones (to reach
 * validation). Sizes are kept small so that every case stays quick.
 */
export function arbitraryFor(schema: Schema | undefined, resolve: (ref: string) => Schema, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(undefined);
  if (schema.$ref) return arbitraryFor(resolve(schema.$ref), resolve, depth + 1);
  const valid = wellFormed(schema, resolve, depth);
  const nullable = schema.nullable ? fc.oneof(valid, fc.constant(null)) : valid;
  return fc.oneof({ weight: 9, arbitrary: nullable }, { weight: 1, arbitrary: junk });
}

const junk: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant({}), fc.constant([]), fc.constant('2022-02-30'), fc.constant(-1));

function wellFormed(schema: Schema, resolve: (ref: string) => Schema, depth: number): fc.Arbitrary<unknown> {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((s) => arbitraryFor(s, resolve, depth + 1)));
  if (schema.allOf) return arbitraryFor(schema.allOf[0], resolve, depth + 1);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 100_000, 100_000) });
    case 'number':
      return fc.oneof(fc.integer({ min: Math.ceil(schema.minimum ?? 0), max: Math.floor(schema.maximum ?? 1000) }), fc.double({ min: schema.minimum ?? -1, max: schema.maximum ?? 1000, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(schema.items, resolve, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
    default: {
      const properties = schema.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, arbitraryFor(s, resolve, depth + 1)])), { requiredKeys: schema.required ?? [] });
      // Now and then a field nobody declared: it must be refused, never ignored or crash.
      return fc.oneof({ weight: 9, arbitrary: record }, { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unexpected: 1 })) });
    }
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date') return fc.date({ min: new Date('2021-06-01'), max: new Date('2024-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2021-06-01'), max: new Date('2024-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 64));
  const text = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
  return fc.oneof(text, fc.constantFrom(...VIETNAMESE));
}
