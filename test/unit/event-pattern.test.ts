// The EventBridge pattern evaluator of the tests (test/support/event-pattern.ts), held to the examples
// of AWS's EventBridge User Guide: "Event pattern syntax", "Content filtering in Amazon EventBridge
// event patterns", "Comparison operators", "Arrays in Amazon EventBridge event patterns", "Matching
// events on null values and empty strings". Each case is the documentation's pattern with an event it
// says matches and one it says (or implies) does not.
import { describe, expect, it } from 'vitest';
import { matches, PatternError, type Json } from '../support/event-pattern.js';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

function both(pattern: Json, yes: Json, no: Json): void {
  expect(matches(pattern, yes), `${JSON.stringify(pattern)} should match ${JSON.stringify(yes)}`).toBe(true);
  expect(matches(pattern, no), `${JSON.stringify(pattern)} should not match ${JSON.stringify(no)}`).toBe(false);
}

describe('event pattern syntax', () => {
  it('fields AND, values OR, nesting as in the event; other fields ignored', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    both(pattern, ec2Event, { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } });
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, ec2Event)).toBe(true);
    // The field must appear with the same nesting: state at the top level is not detail.state.
    expect(matches({ state: ['terminated'] }, ec2Event)).toBe(false);
  });

  it('a field the event lacks does not match a value', () => {
    expect(matches({ detail: { missing: ['x'] } }, ec2Event)).toBe(false);
  });

  it('matching is exact and case-sensitive, numbers compare numerically', () => {
    both({ detail: { state: ['terminated'] } }, { detail: { state: 'terminated' } }, { detail: { state: 'Terminated' } });
    both({ detail: { n: [300] } }, { detail: { n: 300.0 } }, { detail: { n: '300' } });
  });

  it('a pattern that is not an object, or an unknown operator, is an error, never "no match"', () => {
    expect(() => matches({ detail: { state: [{ 'anythingbut': 'x' }] } }, ec2Event)).toThrow(PatternError);
    expect(() => matches({ detail: { state: 'terminated' } } as unknown as Json, ec2Event)).toThrow(PatternError);
  });
});

describe('arrays', () => {
  it('an event array matches when its intersection with the pattern array is non-empty (the guide\'s resources example)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    both(
      pattern,
      { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
      { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] },
    );
  });

  it('an array of objects: a field path reaches into each element (CloudTrail resources[].ARN)', () => {
    const pattern = { detail: { resources: { ARN: ['arn:aws:kms:eu-west-1:123456789012:key/k'] } } };
    both(
      pattern,
      { detail: { resources: [{ ARN: 'arn:aws:kms:eu-west-1:123456789012:alias/a' }, { ARN: 'arn:aws:kms:eu-west-1:123456789012:key/k' }] } },
      { detail: { resources: [{ ARN: 'arn:aws:kms:eu-west-1:123456789012:key/other' }] } },
    );
  });
});

describe('null values and empty strings', () => {
  const event = { 'detail-type': 'EC2 Instance Launch Successful', source: 'aws.autoscaling', resources: [], detail: { eventVersion: '', responseElements: null } };
  it('"" matches an empty string and null matches null', () => {
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
  });
});

describe('content filtering', () => {
  it('prefix', () => {
    both({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, { time: '2017-10-03T18:43:48Z' });
  });

  it('prefix ignoring case', () => {
    both({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'eventbridge' } }, { detail: { service: 'lambda' } });
    expect(matches({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'EVENTBRIDGE' } })).toBe(true);
  });

  it('suffix, and suffix ignoring case', () => {
    both({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, { FileName: 'image.PNG' });
    both({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { detail: { FileName: 'image.PNG' } }, { detail: { FileName: 'image.jpg' } });
  });

  it('anything-but: a string, a number, a list', () => {
    both({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'running' } }, { detail: { state: 'initializing' } });
    both({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 456 } }, { detail: { 'x-limit': 123 } });
    both({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'running' } }, { detail: { state: 'overloaded' } });
    both({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 150 } }, { detail: { 'x-limit': 200 } });
  });

  it('anything-but needs the field: an absent field matches nothing but exists:false', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} })).toBe(false);
  });

  it('anything-but with prefix, suffix, equals-ignore-case, wildcard', () => {
    both({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'running' } }, { detail: { state: 'initializing' } });
    both({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'a.png' } }, { detail: { FileName: 'a.txt' } });
    both({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, { detail: { state: 'running' } }, { detail: { state: 'INITIALIZING' } });
    both({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } }, { detail: { state: 'running' } }, { detail: { state: 'Stopped' } });
    both({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/bin/x' } }, { detail: { FilePath: '/usr/lib/x' } });
    both({ detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, { detail: { FilePath: '/etc/x' } }, { detail: { FilePath: '/usr/bin/x' } });
  });

  it('numeric ranges', () => {
    const pattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
    both(pattern, { detail: { 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 } }, { detail: { 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 } });
    expect(matches({ detail: { n: [{ numeric: ['>', 0] }] } }, { detail: { n: '5' } })).toBe(false);
  });

  it('IP address (cidr)', () => {
    both({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, { detail: { 'source-ip': '10.0.0.255' } }, { detail: { 'source-ip': '10.0.1.0' } });
  });

  it('exists: true on a leaf only; exists: false on an absent field', () => {
    const withSig = { detail: { state: 'x', c: { d: 1 } } };
    expect(matches({ detail: { state: [{ exists: true }] } }, withSig)).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, withSig)).toBe(false);
    expect(matches({ detail: { other: [{ exists: false }] } }, withSig)).toBe(true);
    expect(matches({ detail: { other: [{ exists: true }] } }, withSig)).toBe(false);
    // Exists matching only works on leaf nodes, not on intermediate nodes.
    expect(matches({ detail: { c: [{ exists: true }] } }, withSig)).toBe(false);
    // An absent parent: exists:false deeper down matches.
    expect(matches({ detail: { nope: { inner: [{ exists: false }] } } }, withSig)).toBe(true);
  });

  it('equals-ignore-case', () => {
    both({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2Event, { 'detail-type': 'EC2 Instance Launch' });
  });

  it('wildcard, with escapes', () => {
    both({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' });
    both({ f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/a.b.png' }, { f: 'dir/a.jpg' });
    both({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, { f: 'axb' });
  });

  it('$or: one of the sub-patterns, alongside the sibling fields', () => {
    const pattern: Json = {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
      },
    };
    expect(matches(pattern, { detail: { 'c-count': 3 } })).toBe(true);
    expect(matches(pattern, { detail: { 'd-count': 3 } })).toBe(true);
    expect(matches(pattern, { detail: { 'c-count': 9, 'd-count': 11 } })).toBe(false);
    const withSibling: Json = { source: ['aws.ec2'], $or: [{ 'detail-type': ['x'] }, { detail: { state: ['terminated'] } }] };
    expect(matches(withSibling, ec2Event)).toBe(true);
    expect(matches(withSibling, { ...ec2Event, source: 'aws.s3' })).toBe(false);
  });

  it('accepts the pattern as the JSON text Terraform renders', () => {
    expect(matches(JSON.stringify({ source: ['aws.ec2'] }), ec2Event)).toBe(true);
  });
});
