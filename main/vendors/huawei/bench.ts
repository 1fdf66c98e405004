/**
 * Huawei CEC for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: the bodies of `getClickToCallEvents` answers as CEC writes them while the desk polls
 * a click-to-dial call — per ten polls one call: "Call in queue", two empty polls, "Call connected"
 * (eventId 168101, the WebRTC gateway, the access code, the caller), five empty polls, "Call
 * disconnected" with its CTI cause. CEC tells only of the call the desk placed, so a poll that
 * finds no call in progress places one first (the dial's own desk event), as the agent would.
 *
 * The parse path is the connector's: the answer's body parsed as JSON (`http.ts`), validated by
 * its schema (`cec.ts`), classified and folded into the call in progress (`foldEventsAnswer`).
 * The floor: one `JSON.parse` and the answer's schema.
 */
import type { ConnectorEvent } from '../../desk/events.js';
import type { PlatformBench } from '../kit/platform.js';
import { foldEventsAnswer } from './connector.js';
import { placedPatch, type PlacedCall } from './normalize.js';
import { eventsSchema } from './schema.js';

/** The answer of poll `i`. */
export function huaweiAnswer(i: number): Record<string, unknown> {
  switch (i % 10) {
    case 0:
      return { resultCode: '0', resultDesc: 'Call in queue' };
    case 3:
      return {
        resultCode: '0',
        resultDesc: 'Call connected',
        eventId: 168101,
        content: { domain: 'webrtc.cec.example.com', gwAddresses: ['10.1.2.3:443', '10.1.2.4:443'], accessCode: '9001', clickToCallCaller: String(358401000000 + Math.floor(i / 10)) },
      };
    case 9:
      return { resultCode: '0', resultDesc: 'Call disconnected', content: { causeId: 0, causeDesc: 'Normal call clearing' } };
    default:
      return { resultCode: '0', resultDesc: 'ClickToCall polled without any events' };
  }
}

export const huaweiBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => JSON.stringify(huaweiAnswer(start + k))),
  parser(log) {
    let call: PlacedCall | undefined;
    let placed = 0;
    return (frame) => {
      const out: ConnectorEvent[] = [];
      const emit = (event: ConnectorEvent): void => void out.push(event);
      if (!call) {
        placed += 1;
        call = { id: `ctd-${placed}`, number: `+35840${String(placed).padStart(7, '0')}`, media: 'voice', userData: { Media: 'Voice' } };
        emit({ type: 'call', call: placedPatch(call) });
      }
      // The exchange's reading of a 2xx answer (http.ts), then the client's schema (cec.ts).
      const text = String(frame);
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          log.warn({ bytes: text.length }, "CEC's answer to getClickToCallEvents is not JSON");
          return out;
        }
      }
      const answer = eventsSchema.safeParse(body);
      if (!answer.success) {
        log.warn({ problem: answer.error.issues.map((issue) => issue.path.join('.')) }, "CEC's answer to getClickToCallEvents has an unexpected shape");
        return out;
      }
      if (foldEventsAnswer(answer.data, call, { emit, log }).ended) call = undefined;
      return out;
    };
  },
  floor: (frame) => eventsSchema.safeParse(JSON.parse(String(frame))),
};
