import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialCommand, dialerOrigin, parseDialerMessage } from '@/lib/dialer/protocol';

const ORIGIN = 'https://web.withallo.com';
const from = (data: unknown, origin = ORIGIN) => parseDialerMessage({ origin, data }, ORIGIN);

describe('parseDialerMessage', () => {
  it('reads the documented events', () => {
    expect(from({ source: 'allo-dialer', type: 'ready' })).toEqual({ type: 'ready' });
    expect(from({ source: 'allo-dialer', type: 'login', payload: { user: 'x' } })).toEqual({ type: 'login' });
    expect(from({ source: 'allo-dialer', type: 'outgoing_call', payload: { phoneNumber: '+33612345678' } })).toEqual({
      type: 'call',
      direction: 'outgoing',
      e164: '+33612345678',
    });
  });

  it('reads the incoming event and the number wherever it is likely to be (assumed shapes)', () => {
    for (const payload of [{ number: '06 12 34 56 78' }, { phone_number: '+33 6 12 34 56 78' }, { from: '+33612345678' }, '+33612345678']) {
      expect(from({ source: 'allo-dialer', type: 'incoming_call', payload })).toEqual({ type: 'call', direction: 'incoming', e164: '+33612345678' });
    }
  });

  it('keeps a call event whose number is missing or not a phone number, without the number', () => {
    expect(from({ source: 'allo-dialer', type: 'incoming_call' })).toEqual({ type: 'call', direction: 'incoming' });
    expect(from({ source: 'allo-dialer', type: 'incoming_call', payload: { number: 'anonymous' } })).toEqual({ type: 'call', direction: 'incoming' });
    expect(from({ source: 'allo-dialer', type: 'outgoing_call', payload: { number: 612345678 } })).toEqual({ type: 'call', direction: 'outgoing' });
    expect(from({ source: 'allo-dialer', type: 'incoming_call', payload: { number: '1'.repeat(500) } })).toEqual({ type: 'call', direction: 'incoming' });
  });

  it('ignores another origin, another source, unknown types and malformed messages', () => {
    expect(from({ source: 'allo-dialer', type: 'ready' }, 'https://evil.example')).toBeUndefined();
    expect(from({ source: 'allo-dialer', type: 'ready' }, 'http://web.withallo.com')).toBeUndefined();
    expect(from({ source: 'allo-host', type: 'ready' })).toBeUndefined();
    expect(from({ type: 'ready' })).toBeUndefined();
    expect(from({ source: 'allo-dialer', type: 'hang_up' })).toBeUndefined();
    expect(from({ source: 'allo-dialer', type: 'DIAL_NUMBER' })).toBeUndefined();
    for (const data of [null, undefined, 'ready', 42, [], { source: 'allo-dialer' }]) expect(from(data)).toBeUndefined();
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (data, type) => {
        from(data);
        from({ source: 'allo-dialer', type, payload: data });
      }),
    );
  });
});

describe('dialCommand', () => {
  it('is the documented command with the number in E.164', () => {
    expect(dialCommand('+33612345678')).toEqual({ source: 'allo-host', type: 'dial', payload: { phoneNumber: '+33612345678' } });
  });

  it('goes to the dialer’s origin only', () => {
    expect(dialerOrigin('https://web.withallo.com?variant=dialer')).toBe('https://web.withallo.com');
    expect(dialerOrigin('http://127.0.0.1:5183/dialer?variant=dialer')).toBe('http://127.0.0.1:5183');
  });
});
