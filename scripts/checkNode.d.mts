/** Types of checkNode.mjs (plain JavaScript so that it runs on any Node). */
export declare const MINIMUM_NODE_MAJOR: number;
export declare function isSupportedNode(version: string): boolean;
export declare function requireNode24(what?: string): void;
export type PinnedNodeState = 'ok' | 'missing' | 'not-installed';
export declare function pinnedNodeState(root?: URL): PinnedNodeState;
export declare function nodeAdvice(
  command: string,
  version: string,
  state: PinnedNodeState,
): string;
