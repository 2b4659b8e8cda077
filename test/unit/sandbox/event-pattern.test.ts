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
