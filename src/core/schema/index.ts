export { inferSchema, MAX_DOMAIN_VALUES, type InferOptions } from './infer';
export { loadSchema, writeSchema, parseSchemaText, formatSchema, type ParsedSchema } from './file';
export * from './types';
