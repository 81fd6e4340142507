/**
 * Opening the report form from anywhere: what is on screen is captured
 * first (the window as the person sees it, before the form covers it), the
 * selection is read from the route, and the form opens with both. Attachments
 * are staged to the back end in 512 KB pieces, so a call stays under the
 * browser-mode transport's 1 MB limit.
 */
import { useCallback } from 'react';
import { useLocation } from 'react-router';
import { toPng } from 'html-to-image';
import { ATTACHMENT_PIECE_BYTES } from '#shared/contract/feedback.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { isApiError, type Client } from '../../api/client.ts';
import { useAppStore, type ReportAttachmentDraft } from '../../state/store.ts';

/** What the route says is selected: a terminal, a checklist run, a deployment. */
function selectionFromPath(pathname: string): {
  terminalId?: string;
  runId?: string;
  deploymentId?: string;
} {
  const terminal = /^\/fleet\/terminals\/([^/]+)/.exec(pathname);
  if (terminal) return { terminalId: decodeURIComponent(terminal[1]!) };
  const run = /^\/(?:checklists|reports)\/runs\/([^/]+)/.exec(pathname);
  if (run) return { runId: decodeURIComponent(run[1]!) };
  const deployment = /^\/deployments\/([^/]+)/.exec(pathname);
  if (deployment) return { deploymentId: decodeURIComponent(deployment[1]!) };
  return {};
}

function base64OfBytes(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function bytesOfBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Sends the bytes piece by piece; resumes at the size the back end holds after a lost answer. */
export async function stageAttachment(client: Client, bytes: Uint8Array): Promise<string> {
  const uploadId = crypto.randomUUID();
  let offset = 0;
  for (;;) {
    const piece = bytes.subarray(offset, offset + ATTACHMENT_PIECE_BYTES);
    const isLast = offset + piece.length >= bytes.length;
    try {
      const out = await client['feedback:putAttachmentPiece']({
        uploadId,
        offset,
        dataBase64: base64OfBytes(piece),
        isLast,
      });
      if (out.isComplete) return out.sha256;
      offset = out.received;
    } catch (error) {
      const held = isApiError(error) ? (error.details as { received?: unknown } | undefined) : null;
      if (isApiError(error) && error.code === 'conflict' && typeof held?.received === 'number') {
        offset = held.received;
        continue;
      }
      throw error;
    }
  }
}

export function draftOfBytes(
  bytes: Uint8Array,
  meta: { name: string; mime: string; kind: ReportAttachmentDraft['kind'] },
  sha256: string | null = null,
): ReportAttachmentDraft {
  return {
    key: crypto.randomUUID(),
    ...meta,
    size: bytes.length,
    sha256,
    bytes,
    previewUrl: meta.mime.startsWith('image/')
      ? URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.mime }))
      : null,
  };
}

/**
 * Whether a node can show in the capture: the shell fills the window and its
 * panes scroll inside it, so anything laid out wholly outside the window is
 * clipped anyway. Leaving it out of the copy keeps a long screen quick to
 * draw: html-to-image copies every node's computed style, and a 40-item
 * checklist on a loaded machine took longer than people wait for a form.
 */
function isOnScreen(node: Node): boolean {
  if (!(node instanceof Element)) return true;
  const box = node.getBoundingClientRect();
  // Boxes of no size (contents-only wrappers, portals' roots) hold children that may show.
  if (box.width === 0 && box.height === 0) return true;
  return (
    box.bottom >= 0 &&
    box.right >= 0 &&
    box.top <= window.innerHeight &&
    box.left <= window.innerWidth
  );
}

/** The desktop app captures its window; the browser draws the page (html-to-image). */
async function captureScreenshot(client: Client): Promise<ReportAttachmentDraft | null> {
  const name = `screenshot-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
  try {
    const captured = await client['shell:captureWindow']({});
    return draftOfBytes(
      bytesOfBase64(captured.dataBase64),
      { name, mime: 'image/png', kind: 'screenshot' },
      captured.sha256,
    );
  } catch (error) {
    if (!(isApiError(error) && error.code === 'unavailable')) throw error;
  }
  const dataUrl = await toPng(document.body, {
    pixelRatio: 1,
    skipFonts: true,
    filter: isOnScreen,
  });
  return draftOfBytes(bytesOfBase64(dataUrl.slice(dataUrl.indexOf(',') + 1)), {
    name,
    mime: 'image/png',
    kind: 'screenshot',
  });
}

/** Opens the report form: from the status bar, the shortcut, the desktop menu or a failed item. */
export function useOpenReport(): (link?: {
  runId?: string;
  terminalId?: string;
  itemId?: string;
  itemTitle?: string;
}) => Promise<void> {
  const client = useApi();
  const { pathname } = useLocation();
  const openReport = useAppStore((s) => s.openReport);
  const isOpen = useAppStore((s) => s.reportRequest !== null);
  return useCallback(
    async (link) => {
      if (isOpen) return;
      let screenshot: ReportAttachmentDraft | null = null;
      let isCaptureFailed = false;
      try {
        screenshot = await captureScreenshot(client);
      } catch {
        // A page that cannot be drawn must not stop the report itself.
        isCaptureFailed = true;
      }
      openReport({
        screen: pathname,
        ...selectionFromPath(pathname),
        ...link,
        screenshot,
        isCaptureFailed,
      });
    },
    [client, pathname, openReport, isOpen],
  );
}
