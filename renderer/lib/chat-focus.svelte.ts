/**
 * Where the focus goes in a chat after the agent acts on it: after Accept, the reply box of that chat
 * once the platform lets the agent reply (issue 11, point 7). Shared by the chat list's inline Accept
 * and the chat view's.
 */
export const chatFocus = $state<{ replyFor: string | undefined }>({ replyFor: undefined });
