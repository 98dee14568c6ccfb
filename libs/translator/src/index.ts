export { TranslationError, isTranslationError, type TranslationFailure } from './translation.errors';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, type DecodeLimits } from './limits';
export { decodeXml, XML_DEPTH_CEILING, type XmlDecodeOptions } from './xml-decode';
export { decodeJson } from './json-decode';
export { decodeBody, type BodyFormat, type DecodedBody } from './body-decode';
export { encodeXml, defaultItemName, ENCODE_MAX_DEPTH, type XmlEncodeOptions } from './xml-encode';
export { negotiate, type MediaType } from './negotiate';
export { asString, asOptionalString, asDecimal, asInteger, asArray } from './typed-fields';
