import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { noProgress, type ProgressFn } from '../core/ports.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * A ProgressFn that sends `notifications/progress` when the caller asked for progress
 * (the request carries `_meta.progressToken`), and does nothing otherwise.
 * The protocol requires `progress` to increase on every notification: a repeated or smaller
 * value is nudged just above the last one instead of being dropped, so the message still shows.
 * Hosts such as Claude Code reset their idle timeout on each notification.
 */
export function progressReporter(extra: Extra): ProgressFn {
  const token = extra._meta?.progressToken;
  if (token === undefined) return noProgress;
  let last = 0;
  return (message, progress, total) => {
    if (extra.signal.aborted) return;
    last = progress === undefined ? last + 1 : Math.max(progress, last + 0.001);
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: last, ...(total === undefined ? {} : { total }), message },
      })
      // A closed transport must not turn a progress line into a failed tool call.
      .catch(() => {});
  };
}
