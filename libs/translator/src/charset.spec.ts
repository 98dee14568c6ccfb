import { decodeText, xmlDeclarationEncoding } from './charset';
import { isTranslationError } from './translation.errors';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('xmlDeclarationEncoding', () => {
  it.each<[string, string, string | undefined]>([
    ['double quotes', '<?xml version="1.0" encoding="ISO-8859-1"?><r/>', 'ISO-8859-1'],
    ['single quotes and spacing', "<?xml version='1.0'  encoding = 'latin1' standalone='yes'?><r/>", 'latin1'],
    ['no encoding', '<?xml version="1.0"?><r/>', undefined],
    ['no declaration', '<r encoding="latin1"/>', undefined],
    ['a declaration not at the start', ' <?xml version="1.0" encoding="latin1"?><r/>', undefined],
    ['an encoding only after the declaration', '<?xml version="1.0"?><r encoding="latin1"/>', undefined],
    ['a junk label', '<?xml version="1.0" encoding="&x;"?><r/>', undefined],
  ])('%s', (_name, xml, expected) => {
    expect(xmlDeclarationEncoding(ascii(xml))).toBe(expected);
  });
});

describe('decodeText', () => {
  it.each<[string | undefined, number[], string]>([
    [undefined, [0x4d, 0xc3, 0xbc], 'Mü'],
    ['UTF-8', [0x4d, 0xc3, 0xbc], 'Mü'],
    [' Latin1 ', [0x4d, 0xfc], 'Mü'],
    ['iso-8859-1', [0x4d, 0xfc], 'Mü'],
    ['windows-1252', [0x80, 0x92, 0x9f], '€’Ÿ'],
    ['latin1', [0x80, 0x81, 0x8d, 0x8f, 0x90, 0x9d], '€\u0081\u008D\u008F\u0090\u009D'],
    ['iso-8859-1', Array.from({ length: 0x60 }, (_, i) => 0xa0 + i), String.fromCharCode(...Array.from({ length: 0x60 }, (_, i) => 0xa0 + i))],
    ['us-ascii', [0x41], 'A'],
    ['iso-8859-1', [0xef, 0xbb, 0xbf, 0x41], 'A'],
  ])('%s %j → %s', (label, bytes, expected) => {
    expect(decodeText(Uint8Array.from(bytes), label)).toBe(expected);
  });

  it.each<[string | undefined, number[], string]>([
    ['utf-16', [0x41, 0x00], 'unsupported-charset'],
    ['ebcdic', [0x41], 'unsupported-charset'],
    [undefined, [0xfe, 0xff, 0x00, 0x41], 'unsupported-charset'],
    ['utf-8', [0xc3], 'malformed'],
    ['us-ascii', [0xfc], 'malformed'],
  ])('%s %j → %s', (label, bytes, failure) => {
    let outcome = 'none';
    try {
      decodeText(Uint8Array.from(bytes), label);
    } catch (error) {
      outcome = isTranslationError(error) ? error.failure : 'other';
    }
    expect(outcome).toBe(failure);
  });
});
