import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract/index.ts';
import type { TransferableError } from '../../shared/errors.ts';
import { changeLanguage } from '../i18n/index.ts';
import { ApiError, createClient, createHttpApi, readToken, unwrap } from './client.ts';

describe('transport client', () => {
  it('unwraps a success envelope to its value', () => {
    expect(unwrap({ ok: true, value: { pending: 3 } })).toEqual({ pending: 3 });
  });

  it('turns an error envelope into an ApiError with the stable code and message', () => {
    let caught: unknown;
    try {
      unwrap({
        ok: false,
        error: { code: 'unknown_release', message: 'No release 9.9.9 in the catalog.' },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('unknown_release');
    expect((caught as ApiError).message).toBe('No release 9.9.9 in the catalog.');
  });

  it('reads the browser-mode token the server injected, skipping empty ones', () => {
    document.head.innerHTML =
      '<meta name="dearpos-token" content=""><meta name="dearpos-token" content="abc_DEF-123">';
    expect(readToken(document)).toBe('abc_DEF-123');
    document.head.innerHTML = '';
    expect(readToken(document)).toBe('');
  });
});

describe('client proxies', () => {
  it('any contract channel reaches the transport, and results are unwrapped', async () => {
    const seen: Array<[string, unknown]> = [];
    const api = new Proxy({} as Api, {
      get: (_t, channel) => (input: unknown) => {
        seen.push([String(channel), input]);
        return Promise.resolve({ ok: true, value: 7 });
      },
    });
    const client = createClient(api);
    await expect(client['sync:status']({})).resolves.toBe(7);
    expect(seen).toEqual([['sync:status', {}]]);
  });

  it('is not a thenable, so awaiting it or returning it from async code is safe', async () => {
    const client = createClient(createHttpApi('t'));
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
    expect((createHttpApi('t') as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(client)).resolves.toBe(client);
  });
});

describe("a refusal in the console's language", () => {
  const refusal = (error: TransferableError) => {
    try {
      unwrap({ ok: false, error });
    } catch (thrown) {
      return (thrown as ApiError).message;
    }
    throw new Error('unwrap accepted a refusal');
  };
  const abortWithoutReason: TransferableError = {
    code: 'conflict',
    message: 'Give a reason to abort.',
    details: { refusal: 'reason_required' },
  };
  const shortReason: TransferableError = {
    code: 'invalid_input',
    message: 'Give a reason (at least 3 characters).',
    details: {
      issues: [
        {
          path: ['reason'],
          code: 'reason_too_short',
          message: 'Give a reason (at least 3 characters).',
          params: { minimum: 3 },
        },
      ],
    },
  };
  const notManager: TransferableError = {
    code: 'forbidden',
    message:
      'Only a store manager can sign a go / no-go decision; you are signed in as technician. Nothing was signed.',
    details: { problems: ['not_manager'] },
  };
  const namesATerminal: TransferableError = {
    code: 'conflict',
    message: 'Record the version of Lane 2 first.',
    details: { refusal: 'step_incomplete' },
  };

  it("is the back end's own words in English", () => {
    for (const error of [abortWithoutReason, shortReason, notManager, namesATerminal])
      expect(refusal(error)).toBe(error.message);
  });

  it('is translated by its code in German, with its values, and keeps the English when the code has no fixed words', async () => {
    await changeLanguage('de');
    try {
      expect(refusal(abortWithoutReason)).toBe('Geben Sie eine Begründung an.');
      expect(refusal(shortReason)).toBe('Geben Sie eine Begründung an (mindestens 3 Zeichen).');
      // The role it names is not carried with the code: the English says it whole.
      expect(refusal(notManager)).toBe(notManager.message);
      expect(refusal(namesATerminal)).toBe(namesATerminal.message);
      expect(
        refusal({
          code: 'conflict',
          message: 'You deployed this release at this store … Nothing was signed.',
          details: { problems: ['deployed_this_release'] },
        }),
      ).toBe(
        'Sie haben dieses Release in dieser Filiale ausgerollt; ein anderer Filialleiter muss Go unterschreiben (No-Go dürfen Sie weiterhin unterschreiben). Es wurde nichts unterschrieben.',
      );
      expect(refusal({ code: 'internal', message: 'Something went wrong.' })).toBe(
        'Etwas ist schiefgelaufen. Die Aktion wurde nicht erfasst.',
      );
    } finally {
      await changeLanguage('en');
    }
  });
});
