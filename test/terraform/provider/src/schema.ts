// The provider schema as the generator writes it (the layout of `terraform providers schema -json`),
// and its translation into the plugin protocol's Schema messages.
import { readFileSync } from 'node:fs';

/** A cty type in its JSON form: "string", ["list", T], ["object", {name: T}], ... */
export type CtyType =
  | 'string' | 'number' | 'bool' | 'dynamic'
  | ['list' | 'set' | 'map', CtyType]
  | ['object', { [name: string]: CtyType }]
  | ['tuple', CtyType[]];

export interface AttributeSchema {
  type: CtyType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

export type NestingMode = 'single' | 'list' | 'set' | 'map' | 'group';

export interface BlockTypeSchema {
  nesting_mode: NestingMode;
  block: BlockSchema;
  min_items?: number;
  max_items?: number;
}

export interface BlockSchema {
  attributes: { [name: string]: AttributeSchema };
  block_types: { [name: string]: BlockTypeSchema };
}

export interface TypeSchema {
  version: number;
  block: BlockSchema;
}

export interface ProviderSchema {
  provider_version: string;
  source: string;
  provider: TypeSchema;
  resource_schemas: { [type: string]: TypeSchema };
  data_source_schemas: { [type: string]: TypeSchema };
}

export function loadSchema(path: string): ProviderSchema {
  return JSON.parse(readFileSync(path, 'utf8')) as ProviderSchema;
}

/** The object type a block's values have (cty's ImpliedType). */
export function impliedType(block: BlockSchema): CtyType {
  const attrs: { [name: string]: CtyType } = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, bt] of Object.entries(block.block_types)) {
    const inner = impliedType(bt.block);
    attrs[name] = bt.nesting_mode === 'single' || bt.nesting_mode === 'group' ? inner : [bt.nesting_mode, inner];
  }
  return ['object', attrs];
}

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;

/** The protocol's Schema.Block for a block (proto-loader plain-object form). */
function protoBlock(block: BlockSchema): object {
  return {
    version: 0,
    attributes: Object.entries(block.attributes)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: '',
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true,
        description_kind: 0,
        deprecated: false,
      })),
    block_types: Object.entries(block.block_types)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, bt]) => ({
        type_name: name,
        block: protoBlock(bt.block),
        nesting: NESTING[bt.nesting_mode],
        min_items: bt.min_items ?? 0,
        max_items: bt.max_items ?? 0,
      })),
    description: '',
    description_kind: 0,
    deprecated: false,
  };
}

export function protoSchema(schema: TypeSchema): object {
  return { version: schema.version, block: protoBlock(schema.block) };
}
