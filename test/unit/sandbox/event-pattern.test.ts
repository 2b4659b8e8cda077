import { InvalidEventPatternError, testEventPattern } from '../../../sandbox/event-pattern.js';

/** The EC2 state-change sample event of the EventBridge user guide, extended with fields the content-filtering examples use. */
const sampleEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    'ipv6-address': '2001:db8:1234:1a00::10',
    'file-name': 'images/cat.PNG',
    location: null,
    note: '',
    tags: ['blue', 'green'],
    'sub-objects': [
      { name: 'a', size: 1 },
      { name: 'b', size: 2 },
    ],
  },
};

const matches = (pattern: object, event: object = sampleEvent): boolean =>
  testEventPattern(JSON.stringify(pattern), JSON.stringify(event));

describe('testEventPattern: exact values, arrays, null and empty', () => {
  it.each([
    ['a top-level exact string', { source: ['aws.ec2'] }],
    ['one of several values (OR)', { source: ['aws.s3', 'aws.ec2'] }],
    [
      'several fields (AND)',
      { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
    ],
    ['a nested field', { detail: { state: ['terminated'] } }],
    ['a number', { detail: { 'c-count': [5] } }],
    ['a number written with a fraction', { detail: { 'c-count': [5.0] } }],
    ['null', { detail: { location: [null] } }],
    ['the empty string', { detail: { note: [''] } }],
    ['any element of an event array', { detail: { tags: ['green'] } }],
    [
      'an array field against the resources list',
      { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
    ],
    ['one element of an array of objects', { detail: { 'sub-objects': { name: ['b'], size: [2] } } }],
  ])('matches %s', (_, pattern) => {
    expect(matches(pattern)).toBe(true);
  });

  it.each([
    ['another value', { source: ['aws.s3'] }],
    ['one field of two failing (AND)', { source: ['aws.ec2'], region: ['eu-west-1'] }],
    ['a missing field', { detail: { colour: ['blue'] } }],
    ['a string against a number', { detail: { 'c-count': ['5'] } }],
    ['a number against a string', { detail: { state: [5] } }],
    ['case differences', { source: ['AWS.EC2'] }],
    ['null against the empty string', { detail: { note: [null] } }],
    ['the empty string against null', { detail: { location: [''] } }],
    ['a leaf pattern against an object', { detail: ['x'] }],
    [
      'fields from different elements of an array of objects',
      { detail: { 'sub-objects': { name: ['a'], size: [2] } } },
    ],
  ])('does not match %s', (_, pattern) => {
    expect(matches(pattern)).toBe(false);
  });
});

describe('testEventPattern: string operators', () => {
  it.each([
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
    ['prefix (no)', { time: [{ prefix: '2018' }] }, false],
    ['prefix equals-ignore-case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
    ['suffix', { detail: { 'file-name': [{ suffix: '.PNG' }] } }, true],
    ['suffix is case-sensitive', { detail: { 'file-name': [{ suffix: '.png' }] } }, false],
    [
      'suffix equals-ignore-case',
      { detail: { 'file-name': [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      true,
    ],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, true],
    ['equals-ignore-case (no)', { detail: { state: [{ 'equals-ignore-case': 'running' }] } }, false],
    ['wildcard', { detail: { 'file-name': [{ wildcard: 'images/*.PNG' }] } }, true],
    ['wildcard in the middle', { 'detail-type': [{ wildcard: 'EC2*Notification' }] }, true],
    ['wildcard (no)', { detail: { 'file-name': [{ wildcard: 'docs/*' }] } }, false],
    ['wildcard with an escaped star', { detail: { note: [{ wildcard: '\\*' }] } }, false],
    ['prefix against a number', { detail: { 'c-count': [{ prefix: '5' }] } }, false],
  ])('%s', (_, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });

  it('matches a literal star with an escaped wildcard', () => {
    expect(matches({ name: [{ wildcard: 'a\\*b' }] }, { name: 'a*b' })).toBe(true);
    expect(matches({ name: [{ wildcard: 'a\\*b' }] }, { name: 'axb' })).toBe(false);
  });
});

describe('testEventPattern: anything-but', () => {
  it.each([
    ['a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['the same string', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
    ['a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    [
      'a list holding the value',
      { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } },
      false,
    ],
    ['a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
    ['a list of numbers holding the value', { detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }, false],
    ['a prefix', { region: [{ 'anything-but': { prefix: 'eu-' } }] }, true],
    ['a prefix it has', { region: [{ 'anything-but': { prefix: 'us-' } }] }, false],
    ['a suffix', { detail: { 'file-name': [{ 'anything-but': { suffix: '.jpg' } }] } }, true],
    ['a suffix it has', { detail: { 'file-name': [{ 'anything-but': { suffix: '.PNG' } }] } }, false],
    [
      'equals-ignore-case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'TERMINATED' } }] } },
      false,
    ],
    [
      'equals-ignore-case list',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] } },
      true,
    ],
    ['a wildcard', { detail: { 'file-name': [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, true],
    [
      'a wildcard it matches',
      { detail: { 'file-name': [{ 'anything-but': { wildcard: 'images/*' } }] } },
      false,
    ],
    ['a missing field', { detail: { colour: [{ 'anything-but': 'red' }] } }, false],
    ['an array with one other element', { detail: { tags: [{ 'anything-but': 'blue' }] } }, true],
  ])('%s', (_, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });
});

describe('testEventPattern: numeric, exists, cidr', () => {
  it.each([
    ['a range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['outside a range', { detail: { 'd-count': [{ numeric: ['<', 3] }] } }, false],
    ['equality', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
    ['>= at the bound', { detail: { 'd-count': [{ numeric: ['>=', 3] }] } }, true],
    ['a string is not a number', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists true on null', { detail: { location: [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { colour: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists true on an object (leaves only)', { detail: [{ exists: true }] }, false],
    ['exists false under a missing object', { missing: { inner: [{ exists: false }] } }, true],
    ['an IPv4 CIDR', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['outside an IPv4 CIDR', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['an IPv6 CIDR', { detail: { 'ipv6-address': [{ cidr: '2001:db8:1234:1a00::/64' }] } }, true],
    ['a non-IP against a CIDR', { detail: { state: [{ cidr: '10.0.0.0/8' }] } }, false],
  ])('%s', (_, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });
});

describe('testEventPattern: $or', () => {
  it('matches when any alternative matches', () => {
    const pattern = {
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 5] }] }] },
    };

    expect(matches(pattern)).toBe(true);
  });

  it('does not match when no alternative matches', () => {
    const pattern = { $or: [{ source: ['aws.s3'] }, { region: ['eu-west-1'] }] };

    expect(matches(pattern)).toBe(false);
  });

  it('ANDs an $or with the other fields', () => {
    const pattern = { source: ['aws.s3'], $or: [{ region: ['us-west-1'] }, { account: ['1'] }] };

    expect(matches(pattern)).toBe(false);
  });

  it('nests $or inside alternatives', () => {
    const pattern = {
      $or: [
        { source: ['aws.s3'] },
        { $or: [{ region: ['eu-west-1'] }, { detail: { state: ['terminated'] } }] },
      ],
    };

    expect(matches(pattern)).toBe(true);
  });
});

describe('testEventPattern: patterns EventBridge rejects', () => {
  it.each([
    ['not JSON', '{source: aws.ec2}'],
    ['not an object', '["aws.ec2"]'],
    ['an empty pattern', '{}'],
    ['a leaf that is not an array', '{"source":"aws.ec2"}'],
    ['an empty match list', '{"source":[]}'],
    ['an empty nested object', '{"detail":{}}'],
    ['an unknown operator', '{"source":[{"contains":"ec2"}]}'],
    ['two operators in one object', '{"source":[{"prefix":"a","suffix":"b"}]}'],
    ['a numeric prefix', '{"source":[{"prefix":5}]}'],
    ['a non-string suffix', '{"source":[{"suffix":["a"]}]}'],
    ['a non-boolean exists', '{"source":[{"exists":"yes"}]}'],
    ['an unknown numeric operator', '{"n":[{"numeric":["!=",1]}]}'],
    ['a numeric bound that is not a number', '{"n":[{"numeric":[">","1"]}]}'],
    ['an empty numeric range', '{"n":[{"numeric":[">",5,"<",1]}]}'],
    ['two lower numeric bounds', '{"n":[{"numeric":[">",1,">",2]}]}'],
    ['a number beyond the numeric limit', '{"n":[{"numeric":[">",6000000000]}]}'],
    ['an invalid CIDR', '{"ip":[{"cidr":"10.0.0.0/33"}]}'],
    ['a CIDR that is not an address', '{"ip":[{"cidr":"example.com/8"}]}'],
    ['consecutive wildcards', '{"f":[{"wildcard":"a**b"}]}'],
    ['an invalid wildcard escape', '{"f":[{"wildcard":"a\\\\nb"}]}'],
    ['anything-but with an empty list', '{"s":[{"anything-but":[]}]}'],
    ['anything-but mixing strings and numbers', '{"s":[{"anything-but":["a",1]}]}'],
    ['anything-but with an unsupported operator', '{"s":[{"anything-but":{"numeric":[">",1]}}]}'],
    ['anything-but prefix with a number', '{"s":[{"anything-but":{"prefix":1}}]}'],
    ['$or with one alternative', '{"$or":[{"source":["a"]}]}'],
    ['$or that is not an array', '{"$or":{"source":["a"]}}'],
    ['$or with a non-object alternative', '{"$or":[{"source":["a"]},"b"]}'],
    ['an array inside a match list', '{"source":[["a"]]}'],
  ])('rejects %s', (_, pattern) => {
    expect(() => testEventPattern(pattern, JSON.stringify(sampleEvent))).toThrow(InvalidEventPatternError);
  });

  it('rejects an event that is not a JSON object', () => {
    expect(() => testEventPattern('{"source":["a"]}', '[1]')).toThrow(InvalidEventPatternError);
  });
});

/** Matches one condition against an event whose `value` field holds the given JSON value. */
const conditionMatches = (condition: object, value: unknown): boolean =>
  matches({ value: [condition] }, { value });

describe('testEventPattern: anything-but lists and equals-ignore-case', () => {
  it.each([
    ['prefix list, no prefix present', { 'anything-but': { prefix: ['a', 'b'] } }, 'cat', true],
    ['prefix list, first prefix', { 'anything-but': { prefix: ['a', 'b'] } }, 'apple', false],
    ['prefix list, second prefix', { 'anything-but': { prefix: ['a', 'b'] } }, 'bee', false],
    ['suffix list, no suffix present', { 'anything-but': { suffix: ['.png', '.jpg'] } }, 'x.gif', true],
    ['suffix list, second suffix', { 'anything-but': { suffix: ['.png', '.jpg'] } }, 'x.jpg', false],
    [
      'wildcard list, no wildcard matching',
      { 'anything-but': { wildcard: ['*/bin/*', '*.class'] } },
      'a/lib/x',
      true,
    ],
    [
      'wildcard list, second wildcard',
      { 'anything-but': { wildcard: ['*/bin/*', '*.class'] } },
      'A.class',
      false,
    ],
    ['single prefix list', { 'anything-but': { prefix: ['us-'] } }, 'us-east-1', false],
    [
      'equals-ignore-case string, other case',
      { 'anything-but': { 'equals-ignore-case': 'Stopped' } },
      'STOPPED',
      false,
    ],
    [
      'equals-ignore-case string, other value',
      { 'anything-but': { 'equals-ignore-case': 'Stopped' } },
      'running',
      true,
    ],
    [
      'equals-ignore-case list, listed in other case',
      { 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } },
      'overloaded',
      false,
    ],
    [
      'equals-ignore-case list, unlisted',
      { 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } },
      'running',
      true,
    ],
    ['equals-ignore-case "" against ""', { 'anything-but': { 'equals-ignore-case': '' } }, '', false],
    ['equals-ignore-case "" against text', { 'anything-but': { 'equals-ignore-case': '' } }, 'x', true],
    ['wildcard "" against ""', { 'anything-but': { wildcard: '' } }, '', false],
    ['wildcard "" against text', { 'anything-but': { wildcard: '' } }, 'x', true],
  ])('%s', (_, condition, value, expected) => {
    expect(conditionMatches(condition, value)).toBe(expected);
  });
});

describe('testEventPattern: operators against null, numbers, booleans and arrays', () => {
  it.each([
    ['anything-but a string against a number', { 'anything-but': 'x' }, 5, true],
    ['anything-but a string against null', { 'anything-but': 'x' }, null, true],
    ['anything-but a string against true', { 'anything-but': 'x' }, true, true],
    ['anything-but "5" against the number 5', { 'anything-but': '5' }, 5, true],
    ['anything-but "null" against null', { 'anything-but': 'null' }, null, true],
    ['anything-but 5 against the string "5"', { 'anything-but': 5 }, '5', true],
    ['anything-but 5 against 5.0', { 'anything-but': 5 }, 5.0, false],
    ['anything-but 5 against false', { 'anything-but': 5 }, false, true],
    ['anything-but prefix against a number', { 'anything-but': { prefix: '5' } }, 5, true],
    ['anything-but prefix against null', { 'anything-but': { prefix: 'n' } }, null, true],
    ['anything-but suffix against a number', { 'anything-but': { suffix: '5' } }, 5, true],
    ['anything-but suffix against true', { 'anything-but': { suffix: 'e' } }, true, true],
    [
      'anything-but equals-ignore-case against null',
      { 'anything-but': { 'equals-ignore-case': 'NULL' } },
      null,
      true,
    ],
    ['anything-but wildcard * against a number', { 'anything-but': { wildcard: '*' } }, 5, true],
    ['anything-but wildcard * against a string', { 'anything-but': { wildcard: '*' } }, 'x', false],
    ['prefix against a number', { prefix: '5' }, 5, false],
    ['prefix against null', { prefix: 'n' }, null, false],
    ['prefix equals-ignore-case against true', { prefix: { 'equals-ignore-case': 'T' } }, true, false],
    ['suffix against a number', { suffix: '5' }, 5, false],
    ['suffix equals-ignore-case against false', { suffix: { 'equals-ignore-case': 'E' } }, false, false],
    ['equals-ignore-case against null', { 'equals-ignore-case': 'NULL' }, null, false],
    ['equals-ignore-case against a number', { 'equals-ignore-case': '5' }, 5, false],
    ['wildcard * against a number', { wildcard: '*' }, 5, false],
    ['wildcard * against null', { wildcard: '*' }, null, false],
    ['anything-but against an array of only the value', { 'anything-but': 'x' }, ['x'], false],
    ['anything-but against an array repeating the value', { 'anything-but': 'x' }, ['x', 'x'], false],
    ['anything-but against an array with another string', { 'anything-but': 'x' }, ['x', 'y'], true],
    ['anything-but against an array with a number', { 'anything-but': 'x' }, ['x', 5], true],
    ['anything-but against an array with null', { 'anything-but': 'x' }, ['x', null], true],
    ['anything-but a list against an array of its values', { 'anything-but': ['x', 'y'] }, ['y', 'x'], false],
    ['anything-but against an empty array', { 'anything-but': 'x' }, [], false],
    ['anything-but against an array of objects', { 'anything-but': 'x' }, [{ a: 1 }], false],
    ['anything-but against nested arrays', { 'anything-but': 'x' }, [['x'], ['y']], true],
    [
      'anything-but prefix against an array with one allowed',
      { 'anything-but': { prefix: 'a' } },
      ['apple', 'bee'],
      true,
    ],
    [
      'anything-but prefix against an array all excluded',
      { 'anything-but': { prefix: 'a' } },
      ['apple', 'avocado'],
      false,
    ],
    ['anything-but 5 against [5, 6]', { 'anything-but': 5 }, [5, 6], true],
    ['anything-but 5 against [5]', { 'anything-but': 5 }, [5], false],
    [
      'anything-but equals-ignore-case against an array all excluded',
      { 'anything-but': { 'equals-ignore-case': 'X' } },
      ['x', 'X'],
      false,
    ],
    [
      'anything-but equals-ignore-case against an array with null',
      { 'anything-but': { 'equals-ignore-case': 'X' } },
      ['x', null],
      true,
    ],
    ['prefix against [5, "5a"]', { prefix: '5' }, [5, '5a'], true],
    ['prefix against [5]', { prefix: '5' }, [5], false],
    ['equals-ignore-case against an array', { 'equals-ignore-case': 'b' }, ['a', 'B'], true],
    ['wildcard against [1, "ab"]', { wildcard: 'a*' }, [1, 'ab'], true],
  ])('%s', (_, condition, value, expected) => {
    expect(conditionMatches(condition, value)).toBe(expected);
  });
});

describe('testEventPattern: empty strings and wildcards EventBridge accepts', () => {
  it.each([
    ['prefix "" against text', { prefix: '' }, 'abc', true],
    ['prefix "" against ""', { prefix: '' }, '', true],
    ['prefix "" against a number', { prefix: '' }, 5, false],
    ['suffix "" against text', { suffix: '' }, 'abc', true],
    ['suffix "" against null', { suffix: '' }, null, false],
    ['prefix equals-ignore-case ""', { prefix: { 'equals-ignore-case': '' } }, 'abc', true],
    ['suffix equals-ignore-case ""', { suffix: { 'equals-ignore-case': '' } }, 'abc', true],
    ['equals-ignore-case "" against ""', { 'equals-ignore-case': '' }, '', true],
    ['equals-ignore-case "" against text', { 'equals-ignore-case': '' }, 'x', false],
    ['wildcard "" against ""', { wildcard: '' }, '', true],
    ['wildcard "" against text', { wildcard: '' }, 'x', false],
    ['wildcard * alone', { wildcard: '*' }, 'ab', true],
    ['an escaped star before a wildcard', { wildcard: 'a\\**' }, 'a*bc', true],
    ['a wildcard before an escaped star', { wildcard: '*\\*' }, 'abc*', true],
    ['an escaped backslash', { wildcard: 'a\\\\' }, 'a\\', true],
    ['anything-but ""', { 'anything-but': '' }, 'b', true],
    ['anything-but "" against ""', { 'anything-but': '' }, '', false],
    [
      'anything-but equals-ignore-case list holding ""',
      { 'anything-but': { 'equals-ignore-case': ['a', ''] } },
      'b',
      true,
    ],
    ['anything-but wildcard list holding ""', { 'anything-but': { wildcard: ['a', ''] } }, 'b', true],
  ])('%s', (_, condition, value, expected) => {
    expect(conditionMatches(condition, value)).toBe(expected);
  });

  it.each([
    ['consecutive wildcards alone', { wildcard: '**' }],
    ['a trailing backslash', { wildcard: 'a\\' }],
    ['a wildcard given as a list', { wildcard: ['a*'] }],
    ['anything-but prefix ""', { 'anything-but': { prefix: '' } }],
    ['anything-but suffix ""', { 'anything-but': { suffix: '' } }],
    ['anything-but prefix list holding ""', { 'anything-but': { prefix: ['a', ''] } }],
    ['anything-but suffix list holding ""', { 'anything-but': { suffix: ['a', ''] } }],
    ['anything-but prefix with an empty list', { 'anything-but': { prefix: [] } }],
    ['anything-but suffix with an empty list', { 'anything-but': { suffix: [] } }],
    ['anything-but equals-ignore-case with an empty list', { 'anything-but': { 'equals-ignore-case': [] } }],
    ['anything-but wildcard with an empty list', { 'anything-but': { wildcard: [] } }],
    ['anything-but wildcard with consecutive wildcards', { 'anything-but': { wildcard: 'a**' } }],
    ['anything-but wildcard list with consecutive wildcards', { 'anything-but': { wildcard: ['x', 'a**'] } }],
    ['anything-but equals-ignore-case with a number', { 'anything-but': { 'equals-ignore-case': 5 } }],
    [
      'anything-but equals-ignore-case list with a number',
      { 'anything-but': { 'equals-ignore-case': ['a', 5] } },
    ],
    ['anything-but prefix list with a number', { 'anything-but': { prefix: ['a', 5] } }],
    [
      'anything-but prefix holding equals-ignore-case',
      { 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } },
    ],
    ['anything-but null', { 'anything-but': null }],
    ['anything-but [null]', { 'anything-but': [null] }],
    ['anything-but with two operators', { 'anything-but': { prefix: 'a', suffix: 'b' } }],
    ['anything-but with an empty object', { 'anything-but': {} }],
    ['equals-ignore-case given as a list', { 'equals-ignore-case': ['a'] }],
    ['prefix given as a list', { prefix: ['a'] }],
  ])('rejects %s', (_, condition) => {
    expect(() => conditionMatches(condition, 'b')).toThrow(InvalidEventPatternError);
  });
});

describe('testEventPattern: keys holding dots', () => {
  // The EventBridge user guide documents that patterns compile with dot-joined paths, so a dotted
  // key and the nested path it spells name one field, in the pattern and in the event alike.
  it.each([
    [
      'a dotted pattern key against a dotted event key',
      { detail: { 'a.b': ['x'] } },
      { detail: { 'a.b': 'x' } },
      true,
    ],
    [
      'a dotted pattern key against the nested path',
      { detail: { 'a.b': ['x'] } },
      { detail: { a: { b: 'x' } } },
      true,
    ],
    [
      'a nested pattern against a dotted event key',
      { detail: { a: { b: ['x'] } } },
      { detail: { 'a.b': 'x' } },
      true,
    ],
    ['a top-level dotted pattern key against nesting', { 'detail.a': ['x'] }, { detail: { a: 'x' } }, true],
    ['a nested pattern against a top-level dotted key', { detail: { a: ['x'] } }, { 'detail.a': 'x' }, true],
    [
      'a dotted pattern key with another value',
      { detail: { 'a.b': ['x'] } },
      { detail: { a: { b: 'y' } } },
      false,
    ],
    [
      'a dotted pattern key against an array of objects',
      { detail: { 'a.b': ['x'] } },
      { detail: { a: [{ b: 'y' }, { b: 'x' }] } },
      true,
    ],
    [
      'exists false on a dotted key that nests',
      { detail: { 'a.b': [{ exists: false }] } },
      { detail: { a: { b: 'x' } } },
      false,
    ],
    [
      'exists false on a nested path spelled with a dot',
      { detail: { a: { b: [{ exists: false }] } } },
      { detail: { 'a.b': 'x' } },
      false,
    ],
    [
      'a dotted key and the nested path in one event',
      { a: { b: ['x'], c: ['y'] } },
      { 'a.b': 'x', a: { c: 'y' } },
      true,
    ],
    ['one path offered by both spellings', { a: { b: ['x'] } }, { 'a.b': 'y', a: { b: 'x' } }, true],
    [
      'the last of two spellings in a pattern wins',
      { 'a.b': ['x'], a: { b: ['y'] } },
      { a: { b: 'y' } },
      true,
    ],
    [
      'the earlier of two spellings in a pattern is dropped',
      { 'a.b': ['x'], a: { b: ['y'] } },
      { a: { b: 'x' } },
      false,
    ],
    ['a dotted key in $or', { $or: [{ 'a.b': ['x'] }, { c: ['z'] }] }, { a: { b: 'x' } }, true],
    [
      'dotted keys across elements of one array',
      { a: { 'b.c': ['1'], d: ['2'] } },
      { a: [{ b: { c: '1' } }, { d: '2' }] },
      false,
    ],
    [
      'dotted keys within one array element',
      { a: { 'b.c': ['1'], d: ['2'] } },
      { a: [{ b: { c: '1' }, d: '2' }] },
      true,
    ],
  ])('%s', (_, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe('testEventPattern: array elements', () => {
  it.each([
    ['fields of one object in nested arrays', { a: { b: [1], c: [2] } }, { a: [[{ b: 1, c: 2 }]] }, true],
    [
      'fields of objects in different nested arrays',
      { a: { b: [1], c: [2] } },
      { a: [[{ b: 1 }], [{ c: 2 }]] },
      false,
    ],
    [
      'a deeper nested pattern inside one element',
      { a: { b: { c: [1] }, d: [2] } },
      { a: [{ b: [{ c: 1 }], d: 2 }] },
      true,
    ],
    [
      '$or alternatives inside one element',
      { a: { $or: [{ b: [1] }, { c: [2] }], d: [3] } },
      { a: [{ b: 1 }, { d: 3 }] },
      false,
    ],
    // event-ruler checks exists:false against the elements chosen for the paths sorted before it.
    [
      'exists false sorted after a chosen element',
      { a: { b: [1], c: [{ exists: false }] } },
      { a: [{ b: 1 }, { c: 2 }] },
      true,
    ],
    [
      'exists false sorted before any element is chosen',
      { a: { c: [{ exists: false }], d: [1] } },
      { a: [{ c: 1 }, { d: 1 }] },
      false,
    ],
  ])('%s', (_, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});
